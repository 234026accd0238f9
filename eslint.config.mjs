// ESLint for the site's own scripts (ES modules, lunr.js as a global) and the tests' browser helper.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["site_config/overrides/assets/javascripts/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, lunr: "readonly" },
    },
    rules: {
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
    },
  },
  {
    // a classic script: it defines Material's page globals before Material's bundle runs
    files: ["site_config/overrides/assets/javascripts/frame.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["tests/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, lunr: "readonly" },
    },
  },
];
