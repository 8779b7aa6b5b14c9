/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Numbers and strings
 *
 */
#define CONFIG_H2 0x10
#define CONFIG_I5 3
#define CONFIG_H1 0x0
#define CONFIG_I1 10
#define CONFIG_S1 "with \"quotes\" and \\ backslash"
#define CONFIG_S2 "with \"quotes\" and \\ backslash"
#define CONFIG_I2 99
#define CONFIG_H3 0xabc
#define CONFIG_S3 "seed \"value\""
#define CONFIG_I4 99
#define CONFIG_I3 
