import { Command } from "commander";

const program = new Command();
program.name("sysemu").description("user-mode Linux kernel emulator").version("0.1.0");
program.parse();
