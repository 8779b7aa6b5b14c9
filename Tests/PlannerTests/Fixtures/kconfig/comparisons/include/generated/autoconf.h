/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Comparisons
 *
 */
#define CONFIG_C_HEX2 1
#define CONFIG_C_HEX 1
#define CONFIG_C_BOOL_N 1
#define CONFIG_B 1
#define CONFIG_C_STR_LT 1
#define CONFIG_HX 0x1f
#define CONFIG_STR "abc"
#define CONFIG_N 10
#define CONFIG_C_LT 1
#define CONFIG_C_NUM_STR 1
#define CONFIG_C_UNDEF 1
#define CONFIG_C_BOOL 1
#define CONFIG_C_STR 1
