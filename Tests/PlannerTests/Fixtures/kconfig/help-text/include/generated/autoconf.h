/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Help text
 *
 */
#define CONFIG_H1 1
#define CONFIG_H4 1
