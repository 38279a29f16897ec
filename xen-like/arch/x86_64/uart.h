/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 16550 serial port driver (uart.c): polled output on COM1. Console
 * policy (levels, locking, which sinks) is printk.c's.
 */
#ifndef ARCH_UART_H
#define ARCH_UART_H

#include <stdbool.h>
#include <stdint.h>

/* Programs the port for baud 8N1 with FIFOs; false if no UART answers. */
bool uart_init(uint16_t port, uint32_t baud);
void uart_putc(char c);

#endif
