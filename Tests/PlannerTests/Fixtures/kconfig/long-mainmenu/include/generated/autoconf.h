/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Long title Lo
 */
#define CONFIG_A 1
