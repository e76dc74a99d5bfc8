import { fromHex, toHex } from "../../kernel/bytes";
import { matchAid, sortByPriority, choiceFor, supportsCodeTable, type Candidate } from "../../kernel/emv/selection/candidate";
import { buildCandidateList, finalSelection, selectLanguage } from "../../kernel/emv/selection";
import { performTransaction } from "../../kernel/emv/transaction";
import { depsOf, fakes, TEST_PARAMS, testConfig } from "./support/fakes";
import { standardCard, standardCardOptions } from "./support/standard-card";
import { TestCard } from "./support/test-card";

const VISA = "A0000000031010";
const MC = "A0000000041010";

function aidConfig(aid: string, partialSelection: boolean) {
  return testConfig((j) => {
    j.applications = [{ ...j.applications[0], aid, partialSelection }];
  }).applications[0];
}

function selects(card: TestCard): string[] {
  return card.log.filter((l) => l.command.startsWith("00A404")).map((l) => l.command.slice(10, -2));
}

describe("Book 1, 12.3.1: matching an ADF Name with a terminal AID", () => {
  it("equal names match exactly", () => {
    expect(matchAid(fromHex(VISA), aidConfig(VISA, false))).toBe("exact");
  });
  it("a longer ADF Name that begins with the AID matches partially only where partial selection is allowed", () => {
    expect(matchAid(fromHex(VISA + "01"), aidConfig(VISA, true))).toBe("partial");
    expect(matchAid(fromHex(VISA + "01"), aidConfig(VISA, false))).toBe("none");
  });
  it("an ADF Name shorter than the AID, or differing, does not match", () => {
    expect(matchAid(fromHex("A000000003"), aidConfig(VISA, true))).toBe("none");
    expect(matchAid(fromHex("A0000000032010"), aidConfig(VISA, true))).toBe("none");
  });
});

describe("Book 1, 12.3.2: the candidate list from the PSE", () => {
  it("reads the directory records until '6A83' and keeps the ADFs the terminal supports", async () => {
    const card = standardCard((o) => {
      o.pse = [
        ["4F07" + VISA + "500B56495341204352454449548701" + "02"],
        ["4F07A0000000999999" + "5004544553548701" + "01", "4F07" + MC + "500A4D415354455243415244"],
      ];
    });
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind).toBe("list");
    if (list.kind !== "list") return;
    expect(list.candidates.map((c) => toHex(c.adfName))).toEqual([VISA, MC]);
    expect(list.candidates[0].priority).toBe(2);
    // No list-of-AIDs SELECT after a PSE that gave candidates.
    expect(selects(card)).toEqual(["315041592E5359532E4444463031"]);
    expect(card.log.filter((l) => l.command.startsWith("00B2")).length).toBe(3);
  });

  it("follows a DDF entry ('9D'): selects the DDF, reads its directory, then resumes the PSE's", async () => {
    const DDF = "D276000085"; // a 5-byte DDF name
    const card = standardCard((o) => {
      o.pse = [["9D05" + DDF], ["4F07" + MC + "500A4D415354455243415244"]];
      o.ddfs = { [DDF]: { sfi: 2, records: [["4F07" + VISA + "500B56495341204352454449548701" + "01"]] } };
    });
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.map((c) => toHex(c.adfName))).toEqual([VISA, MC]);
    expect(selects(card)).toEqual(["315041592E5359532E4444463031", DDF]);
  });

  it("never follows a DDF twice: a directory that refers to itself ends", async () => {
    const DDF = "D276000085";
    const card = standardCard((o) => {
      o.pse = [["9D05" + DDF]];
      o.ddfs = { [DDF]: { sfi: 2, records: [["9D05" + DDF], ["4F07" + VISA + "500B56495341204352454449548701" + "01"]] } };
    });
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.map((c) => toHex(c.adfName))).toEqual([VISA]);
    expect(selects(card).filter((n) => n === DDF).length).toBe(1);
  });

  it("ignores a directory entry without an Application Label, which Table 12 makes mandatory", async () => {
    const card = standardCard((o) => {
      o.pse = [["4F07" + VISA]];
    });
    const list = await buildCandidateList(card, testConfig());
    // No usable entry: step 5 falls back to the list of AIDs, which finds the application.
    expect(list.kind === "list" && list.candidates.map((c) => toHex(c.adfName))).toEqual([VISA]);
    expect(selects(card)).toContain(VISA);
  });

  it("a card that answers SELECT PSE with '6A81' is blocked: the session ends", async () => {
    const card = standardCard((o) => {
      o.pse = [];
      o.pseSelectSw = "6A81";
    });
    expect((await buildCandidateList(card, testConfig())).kind).toBe("card-blocked");
  });

  it("no PSE ('6A82') or a blocked PSE ('6283'): the list of AIDs method follows", async () => {
    for (const sw of [undefined, "6283"]) {
      const card = standardCard((o) => {
        if (sw) {
          o.pse = [];
          o.pseSelectSw = sw;
        }
      });
      const list = await buildCandidateList(card, testConfig());
      expect(list.kind === "list" && list.candidates.length).toBe(1);
    }
  });
});

describe("Book 1, 12.3.3: the candidate list from the list of AIDs", () => {
  it("SELECTs every terminal AID; an exact match is added, an unknown AID ('6A82') is not", async () => {
    const card = standardCard();
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.map((c) => c.label)).toEqual(["VISA CREDIT"]);
    expect(selects(card)).toEqual(["315041592E5359532E4444463031", VISA, MC]);
  });

  it("a partial match is added when allowed and SELECT next (P2 '02') finds the further occurrences", async () => {
    const card = new TestCard(standardCardOptions((o) => {
      o.apps = [{ aid: VISA + "01", label: "VISA ONE" }];
      o.nextOccurrences = { [VISA]: [{ aid: VISA + "02", label: "VISA TWO" }, { aid: VISA + "03", label: "VISA BLOCKED", selectSw: "6283" }] };
    }));
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.map((c) => c.label)).toEqual(["VISA ONE", "VISA TWO"]);
    const nexts = card.log.filter((l) => l.command.startsWith("00A40402"));
    expect(nexts.length).toBe(3); // two more occurrences, then '6A82'
  });

  it("a partial match is not added where the terminal does not allow partial selection, and no SELECT next is sent", async () => {
    const card = new TestCard(standardCardOptions((o) => {
      o.apps = [{ aid: MC + "77", label: "MC LONGER" }];
    }));
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.length).toBe(0);
    expect(card.log.some((l) => l.command.startsWith("00A40402"))).toBe(false);
  });

  it("an application answered with '6283' (blocked) is not a candidate", async () => {
    const card = standardCard((o) => {
      o.apps[0].selectSw = "6283";
    });
    const list = await buildCandidateList(card, testConfig());
    expect(list.kind === "list" && list.candidates.length).toBe(0);
  });
});

function candidate(label: string, priority: number, confirmationRequired = false): Candidate {
  return { adfName: fromHex(VISA), config: aidConfig(VISA, true), label, priority, confirmationRequired, languages: [] };
}

describe("Book 1, 12.4: final selection", () => {
  it("orders the candidates by priority, 1 first, those without priority last (step 4)", () => {
    const sorted = sortByPriority([candidate("none", 0), candidate("three", 3), candidate("one", 1), candidate("three-b", 3)]);
    expect(sorted.map((c) => c.label)).toEqual(["one", "three", "three-b", "none"]);
  });

  it("shows the Preferred Name only when the terminal supports its Issuer Code Table (step 3; Book 4, A3)", () => {
    const c = { ...candidate("LABEL", 1), preferredName: "PREFERRED", codeTableIndex: 1 };
    expect(choiceFor(c, fromHex("6000A03001")).name).toBe("PREFERRED");
    expect(choiceFor({ ...c, codeTableIndex: 2 }, fromHex("6000A03001")).name).toBe("LABEL");
    expect(supportsCodeTable(fromHex("0000000100"), 9)).toBe(true);
  });

  it("offers several applications to the cardholder and selects the one chosen", async () => {
    const card = new TestCard(standardCardOptions((o) => {
      o.apps = [{ aid: VISA, label: "VISA CREDIT", priority: "02" }, { aid: MC, label: "MASTERCARD", priority: "01" }];
    }));
    const f = fakes();
    f.cardholder.choice = 1;
    const list = await buildCandidateList(card, testConfig());
    if (list.kind !== "list") throw new Error("no list");
    const sel = await finalSelection(card, list.candidates, testConfig(), f.cardholder, () => {});
    expect(f.cardholder.offered[0].map((c) => c.name)).toEqual(["MASTERCARD", "VISA CREDIT"]);
    expect(sel.kind === "selected" && sel.candidate.label).toBe("VISA CREDIT");
  });

  it("without cardholder selection, takes the highest priority application that needs no confirmation", async () => {
    const config = testConfig((j) => (j.cardholderSelection = false));
    const card = standardCard();
    const list = [candidate("confirm", 1, true), { ...candidate("plain", 2), adfName: fromHex(VISA) }];
    const sel = await finalSelection(card, list, config, fakes().cardholder, () => {});
    expect(sel.kind === "selected" && sel.candidate.label).toBe("plain");
  });

  it("the only application asking for confirmation is used when the cardholder confirms, and not otherwise (step 2)", async () => {
    const f = fakes();
    f.cardholder.confirmations = [false];
    const refused = await finalSelection(standardCard(), [candidate("c", 1, true)], testConfig(), f.cardholder, () => {});
    expect(refused.kind).toBe("cancelled");
    const accepted = await finalSelection(standardCard(), [candidate("c", 1, true)], testConfig(), fakes().cardholder, () => {});
    expect(accepted.kind).toBe("selected");
    const cannotAsk = await finalSelection(standardCard(), [candidate("c", 1, true)], testConfig((j) => (j.cardholderSelection = false)),
      fakes().cardholder, () => {});
    expect(cannotAsk.kind).toBe("not-accepted");
  });

  it("a SELECT that fails removes the application, shows TRY AGAIN and selects the next one", async () => {
    const card = new TestCard(standardCardOptions((o) => {
      o.apps = [{ aid: VISA, label: "VISA CREDIT", priority: "01", dfName: VISA + "FF" }, { aid: MC, label: "MASTERCARD", priority: "02" }];
    }));
    const shown: string[] = [];
    const f = fakes();
    const sel = await finalSelection(card, [
      { ...candidate("VISA CREDIT", 1) },
      { ...candidate("MASTERCARD", 2), adfName: fromHex(MC), config: testConfig().applications[1] },
    ], testConfig((j) => (j.cardholderSelection = false)), f.cardholder, (m) => shown.push(m));
    expect(shown).toEqual(["tryAgain"]);
    expect(sel.kind === "selected" && toHex(sel.fci.dfName)).toBe(MC);
  });

  it("an empty list is NOT ACCEPTED (step 1)", async () => {
    expect((await finalSelection(standardCard(), [], testConfig(), fakes().cardholder, () => {})).kind).toBe("not-accepted");
  });
});

describe("Book 3, 10.1: GET PROCESSING OPTIONS '6985' returns to application selection", () => {
  it("removes the application, shows NOT ACCEPTED and goes on with the next candidate", async () => {
    const card = new TestCard(standardCardOptions((o) => {
      o.apps = [{ aid: VISA, label: "VISA CREDIT", priority: "01", gpoSw: "6985" }, { aid: MC, label: "MASTERCARD", priority: "02" }];
    }));
    const f = fakes(["1234"]);
    const out = await performTransaction(testConfig((j) => (j.cardholderSelection = false)), TEST_PARAMS, depsOf(card, f));
    expect(out.messages.slice(0, 1)).toEqual(["notAccepted"]);
    expect(toHex(out.aid as Uint8Array)).toBe(MC);
    expect(out.kind).toBe("online-approved");
  });
});

describe("Book 4, 11.1: language selection", () => {
  it("uses the first of the card's languages the terminal supports, else the terminal's default", () => {
    expect(selectLanguage(["de", "fr", "en"], ["en", "fr"])).toBe("fr");
    expect(selectLanguage(["de"], ["en", "fr"])).toBe("en");
    expect(selectLanguage([], ["en", "fr"])).toBe("en");
  });

  it("takes the Language Preference of the selected application's FCI", async () => {
    const card = standardCard((o) => {
      o.apps[0].languages = "defr";
    });
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, fakes(["1234"])));
    expect(out.language).toBe("fr");
  });
});
