import { defineConfig } from "vite";

// Everything is bundled locally: no CDN, no remote fonts. The app works offline.
export default defineConfig({
  clearScreen: false,
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // One script (the chart library is 550 kB of its 700 kB): a screen loaded on demand
    // (`import()`) did not load in the window under Tauri's custom protocol.
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "node",
  },
} as never);
