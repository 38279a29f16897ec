# tests/unit/pvh/: host tests (ASan+UBSan) of the PVH groundwork: loader,
# ACPI tables, guest page walker, instruction lengths, CPUID/MSR policy.
PVH_RT   := xen-like/runtime
PVH_ARCH := xen-like/arch/x86_64
$(eval $(call unit_test,pvh_loader,tests/unit/pvh/loader_test.c $(PVH_RT)/pvh_loader.c,-I$(PVH_RT)))
$(eval $(call unit_test,pvh_acpi,tests/unit/pvh/acpi_test.c $(PVH_RT)/acpi_build.c,-I$(PVH_RT)))
$(eval $(call unit_test,pvh_walk,tests/unit/pvh/walk_test.c $(PVH_ARCH)/guest_walk.c,-I$(PVH_ARCH)))
$(eval $(call unit_test,pvh_insn,tests/unit/pvh/insn_test.c $(PVH_ARCH)/insn_len.c,-I$(PVH_ARCH)))
$(eval $(call unit_test,pvh_policy,tests/unit/pvh/policy_test.c $(PVH_ARCH)/cpuid_policy.c $(PVH_ARCH)/msr_policy.c,-I$(PVH_ARCH)))
$(eval $(call unit_test,pvh_npt,tests/unit/pvh/npt_test.c $(PVH_ARCH)/npt.c,-I$(PVH_ARCH)))
$(eval $(call unit_test,pvh_vlapic,tests/unit/pvh/vlapic_test.c $(PVH_ARCH)/vlapic.c,-I$(PVH_ARCH)))
$(eval $(call unit_test,pvh_svm,tests/unit/pvh/svm_test.c $(PVH_ARCH)/svm_vmcb.c $(PVH_RT)/pvh_loader.c,-I$(PVH_ARCH) -I$(PVH_RT)))
# pvh_domain builds real core domains: core's sources over its host env.
PVH_CORE := $(wildcard xen-like/core/*.c) tests/unit/core/env_host.c
# With the boot-module decompressors (bzimage.c and its three decoders) and
# xmalloc over the host env, so a bzImage kernel module is built as in the image.
PVH_DECOMP := $(PVH_RT)/bzimage.c $(PVH_RT)/unxz.c $(PVH_RT)/gunzip.c $(PVH_RT)/unzstd.c \
              tests/unit/pvh/xmalloc_host.c
$(eval $(call unit_test,pvh_domain,tests/unit/pvh/domain_test.c $(PVH_RT)/pvh_domain.c $(PVH_RT)/pvh_loader.c $(PVH_RT)/acpi_build.c $(PVH_DECOMP) $(PVH_CORE),-I$(PVH_RT) -Ixen-like/core -Itests/unit/core))
