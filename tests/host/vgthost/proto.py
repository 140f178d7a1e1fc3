# SPDX-License-Identifier: GPL-2.0-only
"""virtio-gpu numbers and wire layouts (virtio spec 1.4, device type 16;
the 3D bodies as laid out in Linux's include/uapi/linux/virtio_gpu.h).
Everything on the wire is little-endian."""

import struct

# Device feature bits.
F_VIRGL = 0
F_EDID = 1
F_RESOURCE_UUID = 2
F_RESOURCE_BLOB = 3
F_CONTEXT_INIT = 4
F_BLOB_ALIGNMENT = 5
FEATURE_NAMES = {
    "virgl": F_VIRGL, "edid": F_EDID, "resource_uuid": F_RESOURCE_UUID,
    "resource_blob": F_RESOURCE_BLOB, "context_init": F_CONTEXT_INIT,
    "blob_alignment": F_BLOB_ALIGNMENT,
}
# Transport feature bits the backend offers besides the device's.
F_RING_INDIRECT_DESC = 28
F_RING_EVENT_IDX = 29
F_VERSION_1 = 32

FLAG_FENCE = 1 << 0
FLAG_INFO_RING_IDX = 1 << 1

MAX_SCANOUTS = 16
SHM_ID_HOST_VISIBLE = 1
EVENT_DISPLAY = 1 << 0

CMD = {
    0x0100: "GET_DISPLAY_INFO",
    0x0101: "RESOURCE_CREATE_2D",
    0x0102: "RESOURCE_UNREF",
    0x0103: "SET_SCANOUT",
    0x0104: "RESOURCE_FLUSH",
    0x0105: "TRANSFER_TO_HOST_2D",
    0x0106: "RESOURCE_ATTACH_BACKING",
    0x0107: "RESOURCE_DETACH_BACKING",
    0x0108: "GET_CAPSET_INFO",
    0x0109: "GET_CAPSET",
    0x010a: "GET_EDID",
    0x010b: "RESOURCE_ASSIGN_UUID",
    0x010c: "RESOURCE_CREATE_BLOB",
    0x010d: "SET_SCANOUT_BLOB",
    0x0200: "CTX_CREATE",
    0x0201: "CTX_DESTROY",
    0x0202: "CTX_ATTACH_RESOURCE",
    0x0203: "CTX_DETACH_RESOURCE",
    0x0204: "RESOURCE_CREATE_3D",
    0x0205: "TRANSFER_TO_HOST_3D",
    0x0206: "TRANSFER_FROM_HOST_3D",
    0x0207: "SUBMIT_3D",
    0x0208: "RESOURCE_MAP_BLOB",
    0x0209: "RESOURCE_UNMAP_BLOB",
    0x0300: "UPDATE_CURSOR",
    0x0301: "MOVE_CURSOR",
}
CMD_BY_NAME = {v: k for k, v in CMD.items()}

RESP_OK_NODATA = 0x1100
RESP_OK_DISPLAY_INFO = 0x1101
RESP_OK_CAPSET_INFO = 0x1102
RESP_OK_CAPSET = 0x1103
RESP_OK_EDID = 0x1104
RESP_OK_RESOURCE_UUID = 0x1105
RESP_OK_MAP_INFO = 0x1106
ERR_UNSPEC = 0x1200
ERR_OUT_OF_MEMORY = 0x1201
ERR_INVALID_SCANOUT_ID = 0x1202
ERR_INVALID_RESOURCE_ID = 0x1203
ERR_INVALID_CONTEXT_ID = 0x1204
ERR_INVALID_PARAMETER = 0x1205
RESP_NAMES = {
    0x1100: "OK_NODATA", 0x1101: "OK_DISPLAY_INFO", 0x1102: "OK_CAPSET_INFO",
    0x1103: "OK_CAPSET", 0x1104: "OK_EDID", 0x1105: "OK_RESOURCE_UUID",
    0x1106: "OK_MAP_INFO", 0x1200: "ERR_UNSPEC", 0x1201: "ERR_OUT_OF_MEMORY",
    0x1202: "ERR_INVALID_SCANOUT_ID", 0x1203: "ERR_INVALID_RESOURCE_ID",
    0x1204: "ERR_INVALID_CONTEXT_ID", 0x1205: "ERR_INVALID_PARAMETER",
}

BLOB_MEM_GUEST = 1
BLOB_MEM_HOST3D = 2
BLOB_MEM_HOST3D_GUEST = 3
BLOB_FLAG_MAPPABLE = 1
BLOB_FLAG_SHAREABLE = 2
BLOB_FLAG_CROSS_DEVICE = 4

MAP_CACHE_CACHED = 1

CONTEXT_INIT_CAPSET_ID_MASK = 0xff

# 2D formats and their bytes per pixel (all 32-bit).
FORMATS_2D = {1: 4, 2: 4, 3: 4, 4: 4, 67: 4, 68: 4, 121: 4, 134: 4}

# The control header: type, flags, fence_id, ctx_id, ring_idx, padding[3].
HDR = struct.Struct("<IIQIB3x")
assert HDR.size == 24

# Request bodies after the header, by command (fixed part only).
BODY = {
    0x0100: struct.Struct(""),
    0x0101: struct.Struct("<IIII"),          # resource_id, format, width, height
    0x0102: struct.Struct("<I4x"),           # resource_id
    0x0103: struct.Struct("<IIIIII"),        # rect, scanout_id, resource_id
    0x0104: struct.Struct("<IIIII4x"),       # rect, resource_id
    0x0105: struct.Struct("<IIIIQI4x"),      # rect, offset, resource_id
    0x0106: struct.Struct("<II"),            # resource_id, nr_entries
    0x0107: struct.Struct("<I4x"),
    0x0108: struct.Struct("<I4x"),           # capset_index
    0x0109: struct.Struct("<II"),            # capset_id, capset_version
    0x010a: struct.Struct("<I4x"),           # scanout
    0x010b: struct.Struct("<I4x"),
    0x010c: struct.Struct("<IIIIQQ"),        # res, blob_mem, blob_flags, nr_entries, blob_id, size
    0x010d: struct.Struct("<IIII" "IIIII4x" "4I" "4I"),  # rect, scanout, res, w, h, format, strides, offsets
    0x0200: struct.Struct("<II64s"),         # nlen, context_init, debug_name
    0x0201: struct.Struct(""),
    0x0202: struct.Struct("<I4x"),
    0x0203: struct.Struct("<I4x"),
    0x0204: struct.Struct("<IIIIIIIIIII4x"),  # res, target, format, bind, w, h, d, array, last_level, samples, flags
    0x0205: struct.Struct("<IIIIIIQIIII"),   # box, offset, res, level, stride, layer_stride
    0x0206: struct.Struct("<IIIIIIQIIII"),
    0x0207: struct.Struct("<I4x"),           # size
    0x0208: struct.Struct("<I4xQ"),          # resource_id, offset
    0x0209: struct.Struct("<I4x"),
    0x0300: struct.Struct("<IIII" "III4x"),  # pos (scanout, x, y, pad), resource_id, hot_x, hot_y
    0x0301: struct.Struct("<IIII" "III4x"),
}
MEM_ENTRY = struct.Struct("<QI4x")
DISPLAY_ONE = struct.Struct("<IIIIII")       # rect, enabled, flags
CAPSET_INFO = struct.Struct("<III4x")        # id, max_version, max_size
CONFIG = struct.Struct("<IIIII")             # events_read, events_clear, num_scanouts, num_capsets, blob_alignment
assert CONFIG.size == 20

# Where a request's resource id is among its body fields, for the log.
RES_FIELD = {0x0101: 0, 0x0102: 0, 0x0103: 5, 0x0104: 4, 0x0105: 5, 0x0106: 0, 0x0107: 0,
             0x010b: 0, 0x010c: 0, 0x010d: 5, 0x0202: 0, 0x0203: 0, 0x0204: 0, 0x0205: 7,
             0x0206: 7, 0x0208: 0, 0x0209: 0}


def res_note(ctype, args):
    """" res=N" for a command that names a resource, so that a refused
    one is still logged with its resource; "" otherwise."""
    if args is None or ctype not in RES_FIELD:
        return ""
    return " res=%d" % args[RES_FIELD[ctype]]


def cmd_name(t):
    return CMD.get(t, "0x%04x" % t)


def resp_name(t):
    return RESP_NAMES.get(t, "0x%04x" % t)
