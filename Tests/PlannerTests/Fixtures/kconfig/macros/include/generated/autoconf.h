/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Macros
 *
 */
#define CONFIG_M5 "from shell"
#define CONFIG_M2 "later one two"
#define CONFIG_M6 1
#define CONFIG_M3 "hello a and b"
#define CONFIG_Msimple 1
#define CONFIG_M4 "dash"
#define CONFIG_M1 "simple-recursive"
