/* main.c: the command line */
#include <stdio.h>
int main(void) { puts("phuong"); return 0; }
