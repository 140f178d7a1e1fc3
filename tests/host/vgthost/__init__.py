# SPDX-License-Identifier: GPL-2.0-only
"""vgthost: a programmable virtio-gpu device behind QEMU's generic vhost-user device.

Modules, by responsibility:
  vhost_user   the vhost-user connection (front-end requests, backend channel)
  memory       the guest memory table and address translation
  virtqueue    split virtqueues (event_idx, indirect descriptors)
  proto        virtio-gpu numbers and wire layouts
  device       the virtio-gpu device model (resources, contexts, blobs, scanouts)
  fences       fence timelines and held responses
  personality  what the "GPU" does with submissions and host blobs
  edid         a small EDID generator
  eventloop    the single-threaded loop (file descriptors and timers)
  log          the command log that tests assert on
"""
