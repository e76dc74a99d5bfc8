/* Sleep between payments (lightsleep.c), typed by lightsleep.d.ts. */
export function configure(maxMHz, minMHz, wakePins) @ "xs_lightsleep_configure";
export function allow(allowed) @ "xs_lightsleep_allow";
export function powerOff(chargerPin) @ "xs_lightsleep_power_off";
