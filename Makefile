# SPDX-License-Identifier: GPL-2.0-only
# Out-of-tree build of virtgpu2.ko, plus the project's test and demo targets.
#
#   make [KDIR=/lib/modules/<release>/build]   build the module
#   make check [DRIVER=virtio_gpu]             run every test tier on the bed
#   make demo                                  boot a VM and show clients at work

KDIR ?= /lib/modules/$(shell uname -r)/build
DRIVER ?= virtgpu2
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
DETECT := $(TOP)/drivers/gpu/drm/virtgpu2/virtgpu2_detect.h

.PHONY: all modules clean check demo lint

all: modules

$(DETECT): $(TOP)/scripts/conftest.sh $(wildcard $(TOP)/scripts/conftest/*.c)
	$(TOP)/scripts/conftest.sh $(KDIR) $@

modules: $(DETECT)
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_DRM_VIRTGPU2=m modules

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -f $(DETECT)

check:
	$(TOP)/scripts/check --driver $(DRIVER)

demo:
	$(TOP)/scripts/demo

lint:
	$(TOP)/scripts/lint
