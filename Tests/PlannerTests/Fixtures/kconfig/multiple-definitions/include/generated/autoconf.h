/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Multiple definitions
 *
 */
#define CONFIG_GATE 1
#define CONFIG_DEPTWICE 1
