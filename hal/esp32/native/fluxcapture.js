/*
 * Flux-transition capture on one RMT receive channel (fluxcapture.c), typed by fluxcapture.d.ts.
 * `onCapture(durations)` is called once a capture has ended (the line went idle or the buffer is full).
 */
class FluxCapture @ "xs_fluxcapture_destructor" {
	constructor(options) {
		this.onCapture = options.onCapture;
		initialize.call(this, options);
	}
	arm() @ "xs_fluxcapture_arm";
	read(buffer) @ "xs_fluxcapture_read";
	close() @ "xs_fluxcapture_close";
}
function initialize(options) @ "xs_fluxcapture_initialize";

export default FluxCapture;
