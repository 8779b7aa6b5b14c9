/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Tristate without modules
 *
 */
#define CONFIG_T1 1
#define CONFIG_T3 1
#define CONFIG_B1 1
#define CONFIG_T4 1
