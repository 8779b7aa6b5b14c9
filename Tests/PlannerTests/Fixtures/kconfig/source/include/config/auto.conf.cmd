deps_config := \
	parts/one/Kconfig \
	parts/two/Kconfig \
	sub/Kconfig \
	Kconfig

include/config/auto.conf: \
	$(deps_config)


$(deps_config): ;
