/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Select and imply
 *
 */
#define CONFIG_IMPLIED 1
#define CONFIG_SELECTOR 1
#define CONFIG_SELECTED 1
