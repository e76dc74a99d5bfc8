/* Host stub of the identifiers mcconfig generates for a build (xsID_*): here, their names. */
#ifndef FAKE_MC_XS_H
#define FAKE_MC_XS_H
#define xsID_port "port"
#define xsID_transmit "transmit"
#define xsID_receive "receive"
#define xsID_clockHz "clockHz"
#define xsID_pin "pin"
#define xsID_resolutionHz "resolutionHz"
#define xsID_symbols "symbols"
#define xsID_idleNs "idleNs"
#define xsID_glitchNs "glitchNs"
#define xsID_onCapture "onCapture"
#define xsID_dma "dma"
#define xsID_length "length"
#endif
