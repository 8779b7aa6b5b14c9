/// manifestc's version, the one place it is written (`--version`, the bills of materials;
/// scripts/install.sh prints it and dates the man page by the last commit).
package let manifestcVersion = "0.1.0"
