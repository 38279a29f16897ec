# Toolchain and options shared by every part of the build.
# Override on the command line: make V=1, make HOST_CC=clang, make SANITIZE=.

BUILD      ?= build
V          ?= 0
Q          := $(if $(filter 1,$(V)),,@)

# The hypervisor: freestanding x86_64, linked at 1 MiB, shipped as an ELF32
# container for QEMU's multiboot1 loader and as the same bytes for GRUB (mb2).
CC         ?= gcc
LD         ?= ld
OBJCOPY    ?= objcopy
HV_WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wvla
HV_CFLAGS  := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
              -mgeneral-regs-only -mcmodel=kernel -fno-stack-protector \
              -fno-omit-frame-pointer -fno-common -nostdinc \
              -isystem $(shell $(CC) -print-file-name=include) $(HV_WARN)
HV_ASFLAGS := -D__ASSEMBLY__ -fno-pic -fno-pie
HV_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# Host builds (unit tests, fuzzers, daemons, tools). Tests always carry the
# sanitizers; daemons and tools are built plainly for speed and benchmarks.
HOST_CC    ?= gcc
HOST_WARN  := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
HOST_CFLAGS:= -std=gnu11 -O1 -g $(HOST_WARN)
SANITIZE   ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TEST_CFLAGS:= $(HOST_CFLAGS) $(SANITIZE)
TOOL_CFLAGS:= -std=gnu11 -O2 -g $(HOST_WARN)

# QEMU: the emulated machine every system test and `make run` uses.
QEMU       ?= qemu-system-x86_64
QEMU_CPU   ?= max
QEMU_MEM   ?= 512
QEMU_SMP   ?= 2
QEMU_FLAGS := -accel tcg -cpu $(QEMU_CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) -no-reboot \
              -device isa-debug-exit,iobase=0xf4,iosize=0x04
