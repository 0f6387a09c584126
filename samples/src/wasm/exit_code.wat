;; exit_code.wat - the core module of samples/wasm/exit_code.component.wasm (world: exit_code.wit;
;; built by tools/build-exit-component.sh).
;;
;;   exit_code [N]   prints "exit-with-code C\n" on stdout, then calls wasi:cli/exit's
;;                   exit-with-code(C), where C is N's leading decimal digits modulo 256
;;                   (no N: 7; no digits: 0)
;;
;; Imports and exports follow the component model's canonical ABI: get-arguments returns its
;; list<string> through a return pointer (a list of {ptr, len}, allocated with cabi_realloc),
;; blocking-write-and-flush takes the stream handle, the bytes as {ptr, len} and a return
;; pointer for its result<_, stream-error>; run returns its result as 0 (ok) or 1 (err).
(module
  (import "wasi:cli/environment@0.2.6" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/stdout@0.2.6" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.6" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.6" "[resource-drop]output-stream" (func $drop (param i32)))
  (import "wasi:cli/exit@0.2.6" "exit-with-code" (func $exit_with_code (param i32)))

  ;; 0..7: get-arguments' {ptr, len}; 16..27: the write's result; 1024: the message;
  ;; 4096 on: cabi_realloc's heap
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 1024) "exit-with-code ")

  ;; a bump allocator (the host only ever allocates: the argument strings and their list)
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
                                                     (i32.const 65535))
                                            (i32.const 16)))
                    (i32.const -1))
          (then unreachable))))
    (local.get $p))

  (func (export "wasi:cli/run@0.2.6#run") (result i32)
    (local $args i32) (local $s i32) (local $n i32) (local $i i32) (local $c i32)
    (local $code i32) (local $len i32) (local $out i32)
    ;; the code: argv[1]'s leading digits, modulo 256
    (local.set $code (i32.const 7))
    (call $get_arguments (i32.const 0))
    (local.set $args (i32.load (i32.const 0)))
    (if (i32.ge_u (i32.load (i32.const 4)) (i32.const 2))
      (then
        (local.set $s (i32.load offset=8 (local.get $args)))
        (local.set $n (i32.load offset=12 (local.get $args)))
        (local.set $code (i32.const 0))
        (block $done
          (loop $digit
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $c (i32.sub (i32.load8_u (i32.add (local.get $s) (local.get $i))) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
            (local.set $code (i32.and (i32.add (i32.mul (local.get $code) (i32.const 10)) (local.get $c))
                                      (i32.const 255)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digit)))))
    ;; the message: "exit-with-code " (15 bytes), the code in decimal, "\n"
    (local.set $len (i32.const 15))
    (if (i32.ge_u (local.get $code) (i32.const 100))
      (then
        (i32.store8 (i32.add (i32.const 1024) (local.get $len))
                    (i32.add (i32.const 48) (i32.div_u (local.get $code) (i32.const 100))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))))
    (if (i32.ge_u (local.get $code) (i32.const 10))
      (then
        (i32.store8 (i32.add (i32.const 1024) (local.get $len))
                    (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $code) (i32.const 10)) (i32.const 10))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))))
    (i32.store8 (i32.add (i32.const 1024) (local.get $len))
                (i32.add (i32.const 48) (i32.rem_u (local.get $code) (i32.const 10))))
    (i32.store8 offset=1 (i32.add (i32.const 1024) (local.get $len)) (i32.const 10))
    (local.set $len (i32.add (local.get $len) (i32.const 2)))
    (local.set $out (call $get_stdout))
    (call $write (local.get $out) (i32.const 1024) (local.get $len) (i32.const 16))
    (call $drop (local.get $out))
    (call $exit_with_code (local.get $code))
    ;; exit-with-code does not return: if it did, run fails (status 1, whatever the code)
    (i32.const 1)))
