#!/bin/bash
qemu-system-x86_64 -m 64 \
    -kernel build/x_qemu-x86_64 -append "app -- oops
