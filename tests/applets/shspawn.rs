//! sh: how commands are started — external commands spawned without
//! forking the shell, command substitutions of one external command or of
//! a side-effect-free builtin run without a subshell — must behave exactly
//! as the forking path: redirections, statuses 126/127/128+n, traps reset
//! in the child, `$!` and wait, `set -e`, scripts without `#!`.

use crate::harness::*;

/// Run a script in `d` and check stdout, stderr and the status.
fn check(d: &Dir, script: &str, code: i32, out: &str, err: &str) {
    let mut r = d.run("sh", &["-c", script, "sh"]);
    r.cmd.env("D", &d.path);
    let o = r.go();
    assert_eq!(
        (o.out(), o.err(), o.code),
        (out.to_string(), err.to_string(), code),
        "script: {script}"
    );
}

#[test]
fn external_redirections() {
    let d = Dir::new();
    check(
        &d,
        "/bin/echo a >f; /bin/echo b >>f; /bin/cat <f; /bin/cat f 1>&2 2>/dev/null",
        0,
        "a\nb\n",
        "a\nb\n",
    );
    check(
        &d,
        "/bin/cat f nope >out 2>err; echo $?; /bin/cat out err",
        0,
        "1\na\nb\n/bin/cat: nope: No such file or directory\n",
        "",
    );
    // Order matters: 2>&1 before >file leaves stderr on the old stdout.
    check(
        &d,
        "/bin/cat nope 2>&1 >o2; /bin/cat o2; echo end",
        0,
        "/bin/cat: nope: No such file or directory\nend\n",
        "",
    );
    check(
        &d,
        "exec 3>f3; /bin/echo three >&3; exec 3>&-; /bin/cat f3; /bin/cat 4<f3 <&4",
        0,
        "three\nthree\n",
        "",
    );
    check(&d, "/bin/echo rw 1<>rw; /bin/cat rw", 0, "rw\n", "");
    // A closed stdout: the program's write fails.
    check(
        &d,
        "/bin/echo x >&-; [ $? -ne 0 ] && echo failed",
        0,
        "failed\n",
        "/bin/echo: write error: Bad file descriptor\n",
    );
    check(
        &d,
        "/bin/echo x <missing; [ $? -ne 0 ] && echo failed",
        0,
        "failed\n",
        "sh: 1: cannot open missing: No such file or directory\n",
    );
    check(
        &d,
        "/bin/echo x >&7; [ $? -ne 0 ] && echo failed",
        0,
        "failed\n",
        "sh: 1: 7: Bad file descriptor\n",
    );
    // noclobber is honoured (and the file is not created twice).
    check(
        &d,
        "set -C; /bin/echo new >nc; /bin/echo again >nc; echo $?; /bin/cat nc",
        0,
        "1\nnew\n",
        "sh: 1: cannot create nc: File exists\n",
    );
}

#[test]
fn external_statuses() {
    let d = Dir::new();
    d.mkdir("dir");
    d.write("plain", "echo hi\n");
    check(&d, "/bin/sh -c 'exit 42'; echo $?", 0, "42\n", "");
    check(
        &d,
        "nosuchcmd; echo $?",
        0,
        "127\n",
        "sh: 1: nosuchcmd: not found\n",
    );
    check(&d, "./nosuch 2>/dev/null; echo $?", 0, "127\n", "");
    check(
        &d,
        "./dir; echo $?",
        0,
        "126\n",
        "sh: 1: ./dir: Is a directory\n",
    );
    // Not executable (refused to root too).
    check(
        &d,
        "./plain; echo $?",
        0,
        "126\n",
        "sh: 1: ./plain: Permission denied\n",
    );
    check(&d, "./plain 2>/dev/null; echo $?", 0, "126\n", "");
    check(
        &d,
        "x=$(nosuchcmd 2>&1); echo \"$? [$x]\"",
        0,
        "127 [sh: 1: nosuchcmd: not found]\n",
        "",
    );
    check(
        &d,
        "x=$(./plain); echo $?",
        0,
        "126\n",
        "sh: 1: ./plain: Permission denied\n",
    );
}

#[test]
fn killed_by_signal() {
    let d = Dir::new();
    check(&d, "/bin/sh -c 'kill -9 $$'; echo $?", 0, "137\n", "");
    check(
        &d,
        "x=$(/bin/sh -c 'kill -TERM $$'); echo $?",
        0,
        "143\n",
        "",
    );
    check(
        &d,
        "/bin/sh -c 'kill -USR1 $$' | /bin/cat; echo $?",
        0,
        "0\n",
        "",
    );
}

#[test]
fn traps_reset_in_child() {
    let d = Dir::new();
    // A caught signal is back at its default in the program.
    check(
        &d,
        "trap 'echo caught' USR1; /bin/sh -c 'kill -USR1 $$'; echo $?",
        0,
        "138\n",
        "",
    );
    check(
        &d,
        "trap 'echo caught' TERM; x=$(/bin/sh -c 'kill -TERM $$; echo no'); echo \"$? [$x]\"",
        0,
        "143 []\n",
        "",
    );
    // An ignored one stays ignored.
    check(
        &d,
        "trap '' USR1; /bin/sh -c 'kill -USR1 $$; echo alive'; x=$(/bin/sh -c 'kill -USR1 $$; echo sub'); echo $x",
        0,
        "alive\nsub\n",
        "",
    );
    // The shell's own trap still works after spawning.
    check(
        &d,
        "trap 'echo caught' USR1; /bin/true; kill -USR1 $$; /bin/true; echo end",
        0,
        "caught\nend\n",
        "",
    );
}

#[test]
fn background_and_wait() {
    let d = Dir::new();
    check(
        &d,
        "/bin/sh -c 'exit 3' & p=$!; [ \"$p\" -gt 0 ] && echo pid; wait $p; echo $?",
        0,
        "pid\n3\n",
        "",
    );
    check(
        &d,
        "/bin/echo bg >o & wait; /bin/cat o; : & wait $!; echo $?",
        0,
        "bg\n0\n",
        "",
    );
}

#[test]
fn errexit() {
    let d = Dir::new();
    check(&d, "set -e; /bin/false; echo no", 1, "", "");
    check(&d, "set -e; x=$(/bin/false); echo no", 1, "", "");
    check(&d, "set -e; x=$(false); echo no", 1, "", "");
    check(
        &d,
        "set -e; /bin/false || echo ok; x=$(/bin/echo hi); echo $x",
        0,
        "ok\nhi\n",
        "",
    );
    check(
        &d,
        "set -e; if /bin/false; then :; else echo else; fi",
        0,
        "else\n",
        "",
    );
}

#[test]
fn script_without_shebang() {
    let d = Dir::new();
    d.write("s", "echo noshebang \"$1\"\nexit 5\n");
    check(
        &d,
        "chmod +x s; ./s a; echo $?; x=$(./s b); echo \"$? $x\"; ./s c >o; /bin/cat o",
        0,
        "noshebang a\n5\n5 noshebang b\nnoshebang c\n",
        "",
    );
}

#[test]
fn subst_of_external() {
    let d = Dir::new();
    check(
        &d,
        "x=$(/bin/echo a  b); echo \"[$x] $?\"",
        0,
        "[a b] 0\n",
        "",
    );
    check(&d, "x=$(/bin/false); echo $?", 0, "1\n", "");
    check(
        &d,
        "x=$(FOO=bar /usr/bin/printenv FOO); echo \"$x ${FOO-unset}\"",
        0,
        "bar unset\n",
        "",
    );
    check(
        &d,
        "x=$(/bin/cat nope 2>&1); echo \"[$x]\"",
        0,
        "[/bin/cat: nope: No such file or directory]\n",
        "",
    );
    check(
        &d,
        "x=$(/bin/echo err >&2); echo \"[$x]\"",
        0,
        "[]\n",
        "err\n",
    );
    // Expansion errors end the substitution only.
    check(
        &d,
        "x=$(/bin/echo ${nope?gone}); [ $? -ne 0 ] && echo \"failed [$x]\"",
        0,
        "failed []\n",
        "sh: 1: nope: gone\n",
    );
    // Word side effects stay in the subshell.
    check(
        &d,
        "i=1; x=$(/bin/echo $((i+=1)) ${u=set}); echo \"$x $i ${u-unset}\"",
        0,
        "2 set 1 unset\n",
        "",
    );
    check(
        &d,
        "x=$(/bin/echo \"$(/bin/echo in)\"); echo $x",
        0,
        "in\n",
        "",
    );
    check(&d, "x=$(/bin/echo a; /bin/echo b); echo $x", 0, "a b\n", "");
}

#[test]
fn subst_of_builtin() {
    let d = Dir::new();
    check(
        &d,
        "x=$(echo hi there); echo \"[$x] $?\"",
        0,
        "[hi there] 0\n",
        "",
    );
    check(
        &d,
        "x=$(false); echo $?; x=$(true); echo $?",
        0,
        "1\n0\n",
        "",
    );
    check(&d, "x=$(printf '%s,' a b); echo $x", 0, "a,b,\n", "");
    check(
        &d,
        "x=$(printf 'a\\n\\n\\n'); echo \"[$x]\"",
        0,
        "[a]\n",
        "",
    );
    check(&d, "x=$(printf 'a\\0b'); echo \"[$x]\"", 0, "[ab]\n", "");
    check(
        &d,
        "x=$(test 1 -lt 2); echo $?; x=$([ a = b ]); echo $?",
        0,
        "0\n1\n",
        "",
    );
    check(&d, "cd /; x=$(pwd); echo $x", 0, "/\n", "");
    // Big output (more than a pipe holds).
    check(&d, "x=$(printf '%070000d' 0); echo ${#x}", 0, "70000\n", "");
    // Nothing leaks into the shell.
    check(
        &d,
        "i=5; x=$(echo $((i+=1)) $((i++)) ${u=set}); echo \"$x $i ${u-unset}\"",
        0,
        "6 6 set 5 unset\n",
        "",
    );
    check(
        &d,
        "e='y=3'; x=$(echo $((e))); echo \"$x ${y-unset}\"",
        0,
        "3 unset\n",
        "",
    );
    check(
        &d,
        "i=4; x=$(echo $((i*2)) $((i==4))); echo $x",
        0,
        "8 1\n",
        "",
    );
    check(
        &d,
        "x=$(echo ${nope?gone}); [ $? -ne 0 ] && echo \"failed [$x]\"; echo after",
        0,
        "failed []\nafter\n",
        "sh: 1: nope: gone\n",
    );
    check(
        &d,
        "set -u; x=$(echo $nope); [ $? -ne 0 ] && echo \"failed [$x]\"",
        0,
        "failed []\n",
        "sh: 1: nope: parameter not set\n",
    );
    // A function of the same name wins.
    check(
        &d,
        "echo() { printf 'fn\\n'; }; x=$(echo hi); printf '%s\\n' \"$x\"",
        0,
        "fn\n",
        "",
    );
    // Standard output closed in the shell: still captured, still closed after.
    check(
        &d,
        "exec >&-; x=$(echo hi); echo $x >&2; echo gone",
        1,
        "",
        "hi\nsh: 1: echo: write error: Bad file descriptor\n",
    );
    check(
        &d,
        "x=$(echo a $(echo b) \"$(/bin/echo c)\"); echo $x",
        0,
        "a b c\n",
        "",
    );
    check(
        &d,
        "set -x; x=$(echo t); echo $x",
        0,
        "t\n",
        "+ echo t\n+ x=t\n+ echo t\n",
    );
}

#[test]
fn pipeline_of_externals() {
    let d = Dir::new();
    check(
        &d,
        "echo x | /bin/cat | /bin/cat >o; /bin/cat o",
        0,
        "x\n",
        "",
    );
    check(&d, "/bin/echo a b | /usr/bin/tr a-z A-Z", 0, "A B\n", "");
    check(&d, "/bin/echo x | /bin/false; echo $?", 0, "1\n", "");
    check(
        &d,
        "! /bin/echo x | /bin/cat >/dev/null; echo $?",
        0,
        "1\n",
        "",
    );
    check(
        &d,
        "set -o pipefail; /bin/false | /bin/cat; echo $?",
        0,
        "1\n",
        "",
    );
    check(
        &d,
        "echo x | nosuch; echo $?",
        0,
        "127\n",
        "sh: 1: nosuch: not found\n",
    );
    check(&d, "echo x | ./nosuch 2>/dev/null; echo $?", 0, "127\n", "");
    check(
        &d,
        "/bin/sh -c 'kill -9 $$' | /bin/cat; echo $?; /bin/echo a | /bin/sh -c 'kill -9 $$'; echo $?",
        0,
        "0\n137\n",
        "",
    );
    check(
        &d,
        "/bin/cat nope 2>&1 | /bin/cat",
        0,
        "/bin/cat: nope: No such file or directory\n",
        "",
    );
    check(&d, "/bin/echo in >f; /bin/cat <f | /bin/cat", 0, "in\n", "");
    // Words with side effects are expanded in the child.
    check(
        &d,
        "i=1; /bin/echo $((i+=1)) ${u=x} | /bin/cat; echo \"$i ${u-unset}\"",
        0,
        "2 x\n1 unset\n",
        "",
    );
    check(
        &d,
        "/bin/echo ${nope?gone} | /bin/cat; echo $?; /bin/echo $((1/0)) | /bin/cat; echo end",
        0,
        "0\nend\n",
        "sh: 1: nope: gone\nsh: 1: arithmetic expression: division by zero\n",
    );
    check(
        &d,
        "set -u; /bin/echo $nope | /bin/cat; echo $?",
        0,
        "0\n",
        "sh: 1: nope: parameter not set\n",
    );
    d.write("s", "read l; echo \"got $l\"\n");
    check(&d, "chmod +x s; /bin/echo line | ./s", 0, "got line\n", "");
}

/// Commands that PATH resolves to ibex itself (the harness puts the applet
/// links first): called directly in a forked child, or without a fork for
/// the NOFORK ones, and indistinguishable from exec'ing them.
#[test]
fn own_applets() {
    let d = Dir::new();
    check(
        &d,
        "expr 1 + 2; x=$(expr 3 \\* 4); echo $x; basename /a/b/c; d=$(dirname /a/b/c); echo $d",
        0,
        "3\n12\nc\n/a/b\n",
        "",
    );
    check(
        &d,
        "expr 0; echo $?; expr 1 +; echo $?; x=$(expr 1 + 2 | cat); echo p=$x",
        0,
        "0\n1\n2\np=3\n",
        "expr: syntax error: missing argument after '+'\n",
    );
    check(
        &d,
        "x=$(basename 2>&1 | head -1); echo \"[$x]\"",
        0,
        "[basename: missing operand]\n",
        "",
    );
    check(
        &d,
        "expr 1 + 1 >o; cat o; basename /x/y >>o; cat o",
        0,
        "2\n2\ny\n",
        "",
    );
    // A closed standard descriptor: a new process would find /dev/null.
    check(
        &d,
        "expr 1 + 1 >&-; echo $?; x=$(expr 2 + 2 >&-); echo \"[$x] $?\"",
        0,
        "0\n[] 0\n",
        "",
    );
    check(&d, "exec 0<&-; expr 9 + 1; cat; echo $?", 0, "10\n0\n", "");
    // The environment is the shell's exports plus the command's assignments.
    check(
        &d,
        "FOO=bar env | grep ^FOO=; export V=1; env | grep ^V=; unset V; env | grep -c ^V=; x=$(W=w env | grep ^W=); echo $x",
        0,
        "FOO=bar\nV=1\n0\nW=w\n",
        "",
    );
    // Caught signals are back at their defaults, ignored ones stay ignored.
    check(
        &d,
        "trap 'echo t' USR1; sh -c 'kill -USR1 $$'; echo $?; (trap 'echo t' USR2; sh -c 'kill -USR2 $$'); echo $?",
        0,
        "138\n140\n",
        "",
    );
    check(
        &d,
        "trap '' USR1; sh -c 'kill -USR1 $$; echo ign'",
        0,
        "ign\n",
        "",
    );
    // The shell's own close-on-exec descriptors are not inherited.
    check(
        &d,
        "{ ls /proc/self/fd; } >o1; ls /proc/self/fd >o2; cmp o1 o2 && echo same",
        0,
        "same\n",
        "",
    );
    check(
        &d,
        "x=$(expr 7 \\* 6); set -e; expr 0 >/dev/null; echo no",
        1,
        "",
        "",
    );
    check(
        &d,
        "sh -c 'exit 5'; echo $?; x=$(sh -c 'echo in; exit 6'); echo \"$x $?\"",
        0,
        "5\nin 6\n",
        "",
    );
}

#[test]
fn errors_reported_once() {
    let d = Dir::new();
    check(
        &d,
        "readonly R=1; R=2 /bin/echo x | /bin/cat; echo $?",
        0,
        "0\n",
        "sh: 1: R: is read only\n",
    );
    check(
        &d,
        "readonly R=1; x=$(R=2 /bin/echo x); echo \"$? [$x]\"",
        0,
        "1 []\n",
        "sh: 1: R: is read only\n",
    );
    check(
        &d,
        "x=abc; /bin/echo ${x:1:2} | /bin/cat; /bin/echo ${x:y+:1} | /bin/cat; echo end",
        0,
        "bc\nend\n",
        "sh: 1: arithmetic expression: expecting primary: \"y+\"\n",
    );
}

#[test]
fn signals_ignored_on_entry_cannot_be_trapped() {
    let d = Dir::new();
    // Ignored when the inner shell starts: its trap is refused silently.
    check(
        &d,
        "trap '' USR1; sh -c 'trap \"echo caught\" USR1; kill -USR1 $$; echo after'",
        0,
        "after\n",
        "",
    );
    // A background command starts with INT ignored (no job control).
    check(
        &d,
        "sh -c 'trap \"echo caught\" INT; kill -INT $$; echo after' & wait; echo $?",
        0,
        "after\n0\n",
        "",
    );
    // Not ignored on entry: the trap runs.
    check(
        &d,
        "sh -c 'trap \"echo caught\" USR1; kill -USR1 $$; echo after'",
        0,
        "caught\nafter\n",
        "",
    );
}
