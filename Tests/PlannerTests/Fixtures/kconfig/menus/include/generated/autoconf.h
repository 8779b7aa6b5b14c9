/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Menus
 *
 */
#define CONFIG_MC 1
#define CONFIG_PROMPT_HIDDEN 1
#define CONFIG_IN_OUTER 1
#define CONFIG_IN_INNER 1
#define CONFIG_DEEP 3
#define CONFIG_TOP 1
