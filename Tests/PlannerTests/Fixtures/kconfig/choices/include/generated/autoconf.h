/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Choices
 *
 */
#define CONFIG_FIRST_C 1
#define CONFIG_SEEDED_B 1
#define CONFIG_ND_B 1
#define CONFIG_AFTER 1
