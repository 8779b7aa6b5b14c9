/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Choice members under an earlier member
 *
 */
#define CONFIG_B 1
#define CONFIG_A 1
#define CONFIG_D 1
#define CONFIG_S2 1
#define CONFIG_S3 1
#define CONFIG_X 1
