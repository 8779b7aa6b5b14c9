/*
 *
 * Automatically generated file; DO NOT EDIT.
 * If blocks
 *
 */
#define CONFIG_IN_X 1
#define CONFIG_IN_X_NOT_Y 1
#define CONFIG_X 1
