// The host-CPU fixture cases (host-cases.ts), each instruction interpreted.

import { hostCases } from "./host-cases.ts";

hostCases(false);
