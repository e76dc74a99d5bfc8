// Moddable SDK modules the firmware uses that @moddable/typings does not declare, typed from their
// sources (modules/drivers/ili9341/ili9341.js). The pins and SPI port come from manifest.json's
// `defines.ili9341`.
declare module "ili9341" {
  import PixelsOut from "commodetto/PixelsOut";
  export default class ILI9341 extends PixelsOut {
    constructor(dictionary: Record<string, unknown>);
  }
}
