/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Seed parsing
 *
 */
#define CONFIG_H2 0x7
#define CONFIG_HIDDEN 1
#define CONFIG_H1 0x10
#define CONFIG_I1 7
#define CONFIG_S1 "d"
#define CONFIG_S2 "d"
#define CONFIG_I2 -5
#define CONFIG_B1 1
#define CONFIG_B4 1
#define CONFIG_S3 "a\"b"
#define CONFIG_I3 7
