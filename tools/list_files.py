#!/usr/bin/python3
"""list_files.py DIR SUFFIX: prints the files of DIR with that suffix, sorted, one a line."""
import os
import sys

folder, suffix = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(folder)):
    if name.endswith(suffix):
        print(os.path.join(folder, name))
