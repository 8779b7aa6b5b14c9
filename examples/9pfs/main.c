/*
 * The tutorial's 9pfs example app: print a file from the guest's root
 * filesystem, which the host shares over 9p (mount tag fs0, see kraft.yaml).
 *
 * Usage: <kernel> [PATH]    (PATH defaults to /grass)
 * Prints "File contents: <contents>"; returns 1 if the file cannot be read.
 */
#include <stdio.h>

int main(int argc, char *argv[])
{
	const char *path = argc > 1 ? argv[1] : "/grass";
	char buf[256];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return 1;
	}
	printf("File contents: ");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	fflush(stdout);
	return 0;
}
