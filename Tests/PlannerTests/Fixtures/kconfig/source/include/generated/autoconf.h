/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Sources
 *
 */
#define CONFIG_ROOT 1
#define CONFIG_PART_ONE 1
#define CONFIG_IN_SUB 1
#define CONFIG_IN_SUB_MENU 1
#define CONFIG_PART_TWO "two"
