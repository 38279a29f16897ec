/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 16550-compatible UART, polled (no interrupts): the hypervisor console must
 * work in exception and panic paths, so output never waits on an IRQ.
 */
#include "uart.h"
#include "cpu.h"

enum { THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };
#define LSR_THRE 0x20
#define UART_CLOCK 115200

static uint16_t uart_port;

bool uart_init(uint16_t port, uint32_t baud)
{
    uint32_t div = baud ? UART_CLOCK / baud : 1;

    /* A missing UART reads back 0xff: check the scratch register first. */
    outb(port + SCR, 0x5a);
    if (inb(port + SCR) != 0x5a) {
        uart_port = 0;
        return false;
    }
    outb(port + IER, 0);
    outb(port + LCR, 0x80);             /* divisor latch */
    outb(port + DLL, div & 0xff);
    outb(port + DLM, (div >> 8) & 0xff);
    outb(port + LCR, 0x03);             /* 8N1 */
    outb(port + FCR, 0xc7);             /* enable + clear FIFOs */
    outb(port + MCR, 0x0b);             /* DTR, RTS, OUT2 */
    uart_port = port;
    return true;
}

void uart_putc(char c)
{
    unsigned int spins = 0;

    if (!uart_port)
        return;
    /* Bounded wait: a wedged UART must not hang a panic. */
    while (!(inb(uart_port + LSR) & LSR_THRE) && ++spins < 100000)
        cpu_relax();
    outb(uart_port + THR, (uint8_t)c);
}
