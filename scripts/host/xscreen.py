# SPDX-License-Identifier: GPL-2.0-only
"""The X screen QEMU's GTK window lives on: capture it, resize the window.

QEMU cannot screendump a GL scanout ("Error: no surface"), but with
-display gtk,gl=on the host draws the scanout into its window on Xvfb, so
the X server's root window holds the picture the user would see. Resizing
that window is how a user changes the display size: QEMU passes the new
size to the guest as a display change (a hotplug event).
"""
import ctypes
import ctypes.util
import struct
import zlib

ZPIXMAP = 2
ALL_PLANES = ctypes.c_ulong(~0 & 0xFFFFFFFFFFFFFFFF)


class XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int),
                ("xoffset", ctypes.c_int), ("format", ctypes.c_int),
                ("data", ctypes.POINTER(ctypes.c_ubyte)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int),
                ("bitmap_pad", ctypes.c_int), ("depth", ctypes.c_int),
                ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int)]


def libx11():
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return x11


class XWindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int),
                ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
                ("visual", ctypes.c_void_p), ("root", ctypes.c_ulong),
                ("c_class", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
                ("backing_planes", ctypes.c_ulong),
                ("backing_pixel", ctypes.c_ulong),
                ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong),
                ("map_installed", ctypes.c_int), ("map_state", ctypes.c_int),
                ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long),
                ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int),
                ("screen", ctypes.c_void_p)]


IS_VIEWABLE = 2


def xresize(width, height):
    """Resize the biggest viewable top-level window (QEMU's) to WIDTH x
    HEIGHT, menu bar included."""
    x11 = libx11()
    ulong_p = ctypes.POINTER(ctypes.c_ulong)
    x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ulong_p,
                               ulong_p, ctypes.POINTER(ulong_p),
                               ctypes.POINTER(ctypes.c_uint)]
    x11.XGetWindowAttributes.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(XWindowAttributes)]
    x11.XResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                  ctypes.c_uint, ctypes.c_uint]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        raise OSError("cannot open the X display")
    try:
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, n = ulong_p(), ctypes.c_uint()
        x11.XQueryTree(dpy, x11.XDefaultRootWindow(dpy), ctypes.byref(root),
                       ctypes.byref(parent), ctypes.byref(children),
                       ctypes.byref(n))
        best, area = None, 0
        for i in range(n.value):
            attr = XWindowAttributes()
            x11.XGetWindowAttributes(dpy, children[i], ctypes.byref(attr))
            if attr.map_state == IS_VIEWABLE and \
                    attr.width * attr.height > area:
                best, area = children[i], attr.width * attr.height
        if best is None:
            raise OSError("no window to resize")
        x11.XResizeWindow(dpy, best, width, height)
        x11.XSync(dpy, 0)
    finally:
        x11.XCloseDisplay(dpy)
    return "xresize: window %#x is now %dx%d\n" % (best, width, height)


def capture():
    """Return (width, height, rgb bytes) of the default screen."""
    x11 = libx11()
    x11.XGetImage.restype = ctypes.POINTER(XImage)
    x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                              ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                              ctypes.c_ulong, ctypes.c_int]
    x11.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        raise OSError("cannot open the X display")
    try:
        w = x11.XDisplayWidth(dpy, 0)
        h = x11.XDisplayHeight(dpy, 0)
        img = x11.XGetImage(dpy, x11.XDefaultRootWindow(dpy), 0, 0, w, h,
                            ALL_PLANES, ZPIXMAP)
        if not img:
            raise OSError("XGetImage failed")
        im = img.contents
        if im.bits_per_pixel != 32:
            raise OSError("unexpected X depth %d bpp" % im.bits_per_pixel)
        raw = ctypes.string_at(im.data, im.bytes_per_line * h)
        stride = im.bytes_per_line
    finally:
        x11.XCloseDisplay(dpy)
    rgb = bytearray(w * h * 3)
    for y in range(h):
        row = raw[y * stride:y * stride + w * 4]
        # Little-endian BGRX words.
        rgb[y * w * 3:(y + 1) * w * 3 - 2:3] = row[2::4]
        rgb[y * w * 3 + 1:(y + 1) * w * 3 - 1:3] = row[1::4]
        rgb[y * w * 3 + 2:(y + 1) * w * 3:3] = row[0::4]
    return w, h, bytes(rgb)


def write_ppm(path, w, h, rgb):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        f.write(rgb)


def write_png(path, w, h, rgb):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + \
            struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + rgb[y * w * 3:(y + 1) * w * 3] for y in range(h))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows, 6)))
        f.write(chunk(b"IEND", b""))


def xshot(path_base):
    """Write PATH_BASE.ppm and PATH_BASE.png; return a one-line summary."""
    w, h, rgb = capture()
    write_ppm(path_base + ".ppm", w, h, rgb)
    write_png(path_base + ".png", w, h, rgb)
    return "xshot: %dx%d written to %s.ppm and .png\n" % (w, h, path_base)
