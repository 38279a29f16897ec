# tests/unit/decompress_gz_zstd: the hypervisor's gzip and Zstandard decoders
# (xen-like/runtime/gunzip.c, unzstd.c) against zlib/libzstd and the gzip/
# zstd programs, bounded libFuzzer runs of both, their benchmark, and the
# system check that bzImages with gzip and zstd payloads boot as domUs.
GZZ_DIR  := tests/unit/decompress_gz_zstd
GZZ_SRCS := xen-like/runtime/gunzip.c xen-like/runtime/unzstd.c
GZZ_INC  := -Ixen-like/runtime -Ihypercalls -Wno-missing-field-initializers

$(eval $(call unit_test,decompress_gz_zstd,$(GZZ_DIR)/test_gz_zstd.c $(GZZ_SRCS),$(GZZ_INC),-lz -lzstd))
$(BUILD)/unit/decompress_gz_zstd: $(GZZ_DIR)/bitw.h xen-like/runtime/decompress.h
