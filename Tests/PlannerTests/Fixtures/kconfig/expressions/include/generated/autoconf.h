/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Expressions
 *
 */
#define CONFIG_E6 1
#define CONFIG_E3 1
#define CONFIG_A 1
#define CONFIG_E4 1
#define CONFIG_E1 1
#define CONFIG_E5 1
#define CONFIG_C 1
