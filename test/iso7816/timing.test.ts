import {
  baudRate, decodeDi, decodeFi, etuMicros, t0TimeoutEtu, t0WaitingTimeEtu, t1BlockTimeoutEtu, t1BlockWaitingTimeEtu,
  t1CharTimeoutEtu, t1CharWaitingTimeEtu, terminalCharEtu,
} from "../../kernel/iso7816/timing";

describe("timing in etu (ISO/IEC 7816-3:2006, 7.1, 10.2, 11.4.3; EMV Book 1, 9.2)", () => {
  it("7.1: at 3.5712 MHz with F 372 and D 1, 1 etu is 104.17 µs and the line runs at 9600 baud", () => {
    expect(etuMicros(372, 1, 3_571_200)).toBeCloseTo(104.1667, 3);
    expect(baudRate(372, 1, 3_571_200)).toBeCloseTo(9600, 6);
    expect(baudRate(372, 4, 3_571_200)).toBeCloseTo(38400, 6);
  });

  it("8.3 tables 7 and 8: Fi, fmax and Di", () => {
    expect(decodeFi(0x1)).toEqual({ Fi: 372, fmaxHz: 5e6 });
    expect(decodeFi(0xd)).toEqual({ Fi: 2048, fmaxHz: 20e6 });
    expect(decodeFi(0x7)).toBeUndefined();
    expect([1, 2, 3, 4, 8, 9].map(decodeDi)).toEqual([1, 2, 4, 8, 12, 20]);
    expect(decodeDi(0)).toBeUndefined();
  });

  it("T=0: WWT = 960 x D x WI etu; the terminal waits D x 480 etu more", () => {
    expect(t0WaitingTimeEtu(10, 1)).toBe(9600);
    expect(t0TimeoutEtu(10, 1)).toBe(10080);
    expect(t0TimeoutEtu(10, 4)).toBe(38400 + 1920);
  });

  it("T=1: CWT = 11 + 2^CWI, BWT = 11 + 2^BWI x 960 (F 372), with 4 and D x 960 etu of tolerance", () => {
    expect(t1CharWaitingTimeEtu(5)).toBe(43);
    expect(t1CharTimeoutEtu(5)).toBe(47);
    expect(t1BlockWaitingTimeEtu(4, 372, 1)).toBe(15371);
    expect(t1BlockTimeoutEtu(4, 372, 1)).toBe(15371 + 960);
    expect(t1BlockTimeoutEtu(4, 372, 1, 3)).toBe(3 * 15371 + 960);
    expect(t1BlockWaitingTimeEtu(4, 372, 2)).toBe(11 + 16 * 960 * 2);
  });

  it("8.3: the terminal's character distance 12 + N etu; N = 255 is 12 under T=0 and 11 under T=1", () => {
    expect(terminalCharEtu(0, 0)).toBe(12);
    expect(terminalCharEtu(5, 1)).toBe(17);
    expect(terminalCharEtu(255, 0)).toBe(12);
    expect(terminalCharEtu(255, 1)).toBe(11);
  });
});
