#!/usr/bin/python3
"""list_files.py DIR SUFFIX: prints the files with that suffix in DIR and in its
subfolders (one level), sorted, one a line."""
import os
import sys

folder, suffix = sys.argv[1], sys.argv[2]
found = []
for name in os.listdir(folder):
    path = os.path.join(folder, name)
    if os.path.isdir(path):
        found += [os.path.join(path, n) for n in os.listdir(path) if n.endswith(suffix)]
    elif name.endswith(suffix):
        found.append(path)
for path in sorted(found):
    print(path)
