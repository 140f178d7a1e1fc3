# SPDX-License-Identifier: GPL-2.0-only
# Out-of-tree build of virtgpu2.ko, plus the project's test and demo targets.
#
#   make [KDIR=/lib/modules/<release>/build]   build the module
#   make install / make uninstall [KDIR=...]    without DKMS (see README.md)
#   make deb                                   out/virtgpu2-dkms_<version>_all.deb
#   make check [DRIVER=virtio_gpu] [KERNEL=trixie]  every test tier on the bed
#   make demo                                  boot a VM and show clients at work
#   make bench [ROUNDS=3] [KERNEL=...] [NOTE=...]  both drivers side by side,
#                                              table in docs/BENCHMARKS.md

KDIR ?= /lib/modules/$(shell uname -r)/build
DRIVER ?= virtgpu2
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
DETECT := $(TOP)/drivers/gpu/drm/virtgpu2/virtgpu2_detect.h

# Build with the compiler the kernel was built with (its .config names it)
# when that compiler is installed, as distribution kernels expect: 6.1 with
# gcc-12 beside a newer default gcc. CC=... on the command line wins.
ifeq ($(origin CC),default)
KERNEL_CC := $(shell sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' \
	$(KDIR)/.config 2>/dev/null)
CC := $(or $(shell command -v $(KERNEL_CC) 2>/dev/null),gcc)
endif
KMAKE := $(MAKE) -C $(KDIR) M=$(TOP) CC=$(CC)

# The probes' answers belong to one kernel and compiler: redo them when
# either changes (a checkout built for several kernels, DKMS).
DETECT_FOR := $(DETECT).for
ifneq ($(shell cat $(DETECT_FOR) 2>/dev/null),$(KDIR) $(CC))
$(shell rm -f $(DETECT))
endif

KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
DEPMOD = depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KREL)

.PHONY: all modules clean check demo lint install uninstall bench fuzz deb

all: modules

$(DETECT): $(TOP)/scripts/conftest.sh $(wildcard $(TOP)/scripts/conftest/*.c)
	$(TOP)/scripts/conftest.sh $(KDIR) $@ CC=$(CC)
	echo "$(KDIR) $(CC)" >$(DETECT_FOR)

modules: $(DETECT)
	$(KMAKE) CONFIG_DRM_VIRTGPU2=m modules

clean:
	$(KMAKE) clean
	rm -f $(DETECT) $(DETECT_FOR)

# The module goes to updates/, which modprobe prefers to the kernel's own
# drivers; DKMS uses updates/dkms/ instead, so the two do not clash.
install: modules
	$(KMAKE) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	$(DEPMOD)
	$(TOP)/packaging/modprobe-conf install $(DESTDIR)

uninstall:
	find $(DESTDIR)/lib/modules/$(KREL)/updates -name 'virtgpu2.ko*' \
		-not -path '*/dkms/*' -delete
	$(DEPMOD)
	$(TOP)/packaging/modprobe-conf remove $(DESTDIR)

check:
	$(TOP)/scripts/check --driver $(DRIVER) $(if $(KERNEL),--kernel $(KERNEL))

demo:
	$(TOP)/scripts/demo

HOURS ?= 1
fuzz:
	$(TOP)/scripts/fuzz --hours $(HOURS) --driver $(DRIVER) $(if $(KERNEL),--kernel $(KERNEL))

ROUNDS ?= 3
bench:
	$(TOP)/scripts/bench --rounds $(ROUNDS) $(if $(KERNEL),--kernel $(KERNEL)) \
		$(if $(NOTE),--note "$(NOTE)")

lint:
	$(TOP)/scripts/lint

# The DKMS package, built in the test root with dpkg-buildpackage, then lintian.
deb:
	$(TOP)/scripts/build-deb $(TOP)/out
