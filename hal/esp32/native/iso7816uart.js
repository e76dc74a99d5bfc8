/*
 * The ISO/IEC 7816-3 character frame on an ESP32 UART (iso7816uart.c). Used by hal/esp32/contact-slot.ts;
 * typed by iso7816uart.d.ts.
 */
class ISO7816UART @ "xs_iso7816uart_destructor" {
	constructor(options) @ "xs_iso7816uart_constructor";
	close() @ "xs_iso7816uart_close";
	configure(Fi, Di, charEtu, turnaroundEtu, repeats, inverse) @ "xs_iso7816uart_configure";
	reset() @ "xs_iso7816uart_reset";
	mark() @ "xs_iso7816uart_mark";
	transmit(buffer) @ "xs_iso7816uart_transmit";
	receive(buffer, count, timeoutEtu) @ "xs_iso7816uart_receive";
	get parityErrors() @ "xs_iso7816uart_get_parityErrors";
	get lineFault() @ "xs_iso7816uart_get_lineFault";
}
Object.freeze(ISO7816UART.prototype);

export default ISO7816UART;
