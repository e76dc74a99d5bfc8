/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(ts|js)$": ["ts-jest", { tsconfig: "tsconfig.jest.json", diagnostics: false }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@noble)"],
  testTimeout: 120000,
};
