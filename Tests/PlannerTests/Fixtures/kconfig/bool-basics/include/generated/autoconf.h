/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Bool basics
 *
 */
#define CONFIG_B 1
#define CONFIG_A 1
#define CONFIG_G 1
#define CONFIG_C 1
