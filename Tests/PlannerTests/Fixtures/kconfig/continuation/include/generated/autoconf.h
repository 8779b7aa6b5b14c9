/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Continuation and comments
 *
 */
#define CONFIG_A 1
