// The block compiler (jit.ts) against the interpreter and the host CPU: every host-CPU fixture
// case as a compiled block, and what the fixtures cannot show (they hold single instructions
// on registers): a jcc reading a compare of the same block, memory operands, a fault inside a
// block, a budget that ends inside one, and a store into the block's own code.

import { hostCases } from "./host-cases.ts";

hostCases(true);
