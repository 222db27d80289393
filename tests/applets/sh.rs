//! sh: the POSIX shell language, run as `sh -c SCRIPT sh`. Expected output
//! and status were checked against dash and bash --posix when the cases were
//! written; where those two differ, ibex follows bash (noted per case).

use crate::harness::*;

/// Run a script and check stdout and the exit status.
fn sh(script: &str, stdout: &str, status: i32) {
    let o = run("sh", &["-c", script, "sh"]).go();
    assert_eq!(
        (o.out(), o.code),
        (stdout.to_string(), status),
        "script: {script}\nstderr: {}",
        o.err()
    );
}

#[test]
fn echo_words() {
    sh(
        r#"echo hello   world"#,
        r#"hello world
"#,
        0,
    );
}

#[test]
fn quoting() {
    sh(
        r#"echo "a\"b" 'c\d' e\ f "$(echo "x y")""#,
        r#"a"b c\d e f x y
"#,
        0,
    );
}

#[test]
fn param_forms() {
    sh(
        r#"x=5; echo $x ${x} "$x" "${x}y""#,
        r#"5 5 5 5y
"#,
        0,
    );
}

#[test]
fn for_in() {
    sh(
        r#"for i in 1 2 3; do echo $i; done"#,
        r#"1
2
3
"#,
        0,
    );
}

#[test]
fn for_positional() {
    sh(
        r#"set -- a "b c"; for i; do echo "[$i]"; done"#,
        r#"[a]
[b c]
"#,
        0,
    );
}

#[test]
fn while_arith() {
    sh(
        r#"i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done"#,
        r#"1
2
3
"#,
        0,
    );
}

#[test]
fn until() {
    sh(
        r#"i=3; until [ $i -eq 0 ]; do echo $i; i=$((i-1)); done"#,
        r#"3
2
1
"#,
        0,
    );
}

#[test]
fn function_args_return() {
    sh(
        r#"f() { echo "args: $# $1 $2"; return 3; }; f a b; echo $?"#,
        r#"args: 2 a b
3
"#,
        0,
    );
}

#[test]
fn case_glob() {
    sh(
        r#"case abc in a*) echo yes;; *) echo no;; esac"#,
        r#"yes
"#,
        0,
    );
}

#[test]
fn case_alternatives() {
    sh(
        r#"case b in a|b|c) echo alt;; esac; case - in [!a-z]) echo neg;; esac"#,
        r#"alt
neg
"#,
        0,
    );
}

#[test]
fn case_quoted_pattern() {
    sh(
        r#"case "x*y" in x\*y) echo lit;; esac; case xay in "x"?"y") echo q;; esac"#,
        r#"lit
q
"#,
        0,
    );
}

#[test]
fn case_fallthrough_none() {
    sh(
        r#"case x in y) echo no;; esac; echo "status $?""#,
        r#"status 0
"#,
        0,
    );
}

#[test]
fn cmdsub_both() {
    sh(
        r#"echo $(echo sub) `echo back`"#,
        r#"sub back
"#,
        0,
    );
}

#[test]
fn cmdsub_nested() {
    sh(
        r#"echo "$(echo "nested $(echo deep)")""#,
        r#"nested deep
"#,
        0,
    );
}

#[test]
fn cmdsub_trailing_newlines() {
    sh(
        r#"x=$(printf "a\n\n"); echo "[$x]""#,
        r#"[a]
"#,
        0,
    );
}

#[test]
fn cmdsub_status() {
    sh(
        r#"x=$(exit 7); echo $?"#,
        r#"7
"#,
        0,
    );
}

#[test]
fn backquote_nested() {
    sh(
        r#"echo `echo \`echo inner\``"#,
        r#"inner
"#,
        0,
    );
}

#[test]
fn ifs_default_split() {
    sh(
        r#"x="a b  c"; set -- $x; echo $#"#,
        r#"3
"#,
        0,
    );
}

#[test]
fn ifs_colon_empty_fields() {
    sh(
        r#"IFS=:; y=a:b::c; set -- $y; echo $#; for i; do echo "[$i]"; done"#,
        r#"4
[a]
[b]
[]
[c]
"#,
        0,
    );
}

#[test]
fn ifs_mixed() {
    sh(
        r#"IFS=" :"; x="a : b::c"; set -- $x; echo $#; for i; do echo "[$i]"; done"#,
        r#"4
[a]
[b]
[]
[c]
"#,
        0,
    );
}

#[test]
fn ifs_empty_no_split() {
    sh(
        r#"IFS=; x="a b"; set -- $x; echo $#"#,
        r#"1
"#,
        0,
    );
}

#[test]
fn at_empty() {
    sh(
        r#"set --; echo "[$@]" "$#"; for a in "$@"; do echo x; done; echo done"#,
        r#"[] 0
done
"#,
        0,
    );
}

#[test]
fn at_star_quoted() {
    sh(
        r#"set -- a "b c" d; for a in "$@"; do echo "[$a]"; done; echo "$*"; IFS=-; echo "$*""#,
        r#"[a]
[b c]
[d]
a b c d
a-b c-d
"#,
        0,
    );
}

#[test]
fn empty_params_vanish() {
    sh(
        r#"set -- "" ""; echo $#; set -- $@; echo $#"#,
        r#"2
0
"#,
        0,
    );
}

#[test]
fn quoted_empty_kept() {
    sh(
        r#"x=; set -- "$x" $x; echo $#"#,
        r#"1
"#,
        0,
    );
}

#[test]
fn heredoc_basic() {
    sh(
        r#"cat <<EOF
hello $((1+1)) `echo x`
EOF"#,
        r#"hello 2 x
"#,
        0,
    );
}

#[test]
fn heredoc_quoted() {
    sh(
        r#"cat <<"Q"
$no \expand
Q"#,
        r#"$no \expand
"#,
        0,
    );
}

#[test]
fn heredoc_strip_tabs() {
    sh(
        r#"cat <<-EOF
	indented
	EOF"#,
        r#"indented
"#,
        0,
    );
}

#[test]
fn heredoc_two() {
    sh(
        r#"cat <<A; cat <<B
one
A
two
B"#,
        r#"one
two
"#,
        0,
    );
}

#[test]
fn heredoc_in_cmdsub() {
    sh(
        r#"x=$(cat <<EOF
inside
EOF
); echo "$x""#,
        r#"inside
"#,
        0,
    );
}

#[test]
fn local_scope() {
    sh(
        r#"f() { local x=inner; echo $x; }; x=outer; f; echo $x"#,
        r#"inner
outer
"#,
        0,
    );
}

#[test]
fn positional_count() {
    sh(
        r#"echo ${#}; set -- a b c; echo ${#} ${3} ${10-none}"#,
        r#"0
3 c none
"#,
        0,
    );
}

#[test]
fn trim_ops() {
    sh(
        r#"x=foo.tar.gz; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.}"#,
        r#"foo.tar foo tar.gz gz
"#,
        0,
    );
}

#[test]
fn default_ops() {
    sh(
        r#"v=; echo ${v:-empty} ${v-unset} ${u:-UN} ${u-un}; echo ${v:=assigned}; echo $v"#,
        r#"empty UN un
assigned
assigned
"#,
        0,
    );
}

#[test]
fn alt_ops() {
    sh(
        r#"unset x; echo "${x+set}" "${x:+set}"; x=; echo "${x+set}" "${x:+set}""#,
        r#" 
set 
"#,
        0,
    );
}

#[test]
fn length() {
    sh(
        r#"x=abcdef; echo ${#x}; echo ${#nope}"#,
        r#"6
0
"#,
        0,
    );
}

#[test]
fn read_fields() {
    sh(
        r#"while read a b; do echo "$b/$a"; done <<EOF
1 2
3 4 5
EOF"#,
        r#"2/1
4 5/3
"#,
        0,
    );
}

#[test]
fn read_raw_backslash() {
    sh(
        r#"printf "a\\b c\n" | { read x; echo "$x"; }; printf "a\\b c\n" | { read -r x; echo "$x"; }"#,
        r#"a c
a c
"#,
        0,
    );
}

#[test]
fn read_eof_status() {
    sh(
        r#"printf "partial" | { read x; echo "$? $x"; }"#,
        r#"1 partial
"#,
        0,
    );
}

#[test]
fn getopts_loop() {
    sh(
        r#"while getopts "ab:c" o -a -bX -c rest; do echo "$o ${OPTARG-}"; done; echo $OPTIND"#,
        r#"a 
b X
c 
4
"#,
        0,
    );
}

#[test]
fn getopts_bad_option() {
    sh(
        r#"getopts a o -z 2>/dev/null; echo "$o $?""#,
        r#"? 0
"#,
        0,
    );
}

#[test]
fn trap_signal() {
    sh(
        r#"trap "echo caught" USR1; kill -USR1 $$; echo after"#,
        r#"caught
after
"#,
        0,
    );
}

#[test]
fn trap_exit() {
    sh(
        r#"trap "echo exiting" EXIT; echo body"#,
        r#"body
exiting
"#,
        0,
    );
}

#[test]
fn trap_exit_status() {
    sh(
        r#"trap "echo bye" EXIT; exit 3"#,
        r#"bye
"#,
        3,
    );
}

#[test]
fn arith_ops() {
    sh(
        r#"echo $((1+2*3)) $((10/3)) $((10%3)) $((-7/2)) $((1<<4)) $((7&3|8)) $((2>1)) $((!0))"#,
        r#"7 3 1 -3 16 11 1 1
"#,
        0,
    );
}

// Follows bash (dash lacks ++/--).

#[test]
fn arith_assign() {
    sh(
        r#"x=2; : $((x+=3)) $((y=x*2)); echo $x $y; echo $((x++)) $x $((--x))"#,
        r#"5 10
5 6 5
"#,
        0,
    );
}

#[test]
fn arith_bases() {
    sh(
        r#"echo $((0x10)) $((010)) $((0))"#,
        r#"16 8 0
"#,
        0,
    );
}

#[test]
fn arith_ternary() {
    sh(
        r#"echo $(( 1 ? 2 : 3 )) $(( 0 ? 2 : 3 ))"#,
        r#"2 3
"#,
        0,
    );
}

#[test]
fn arith_vars_by_name() {
    sh(
        r#"a=3 b=4; echo $((a*a + b*b))"#,
        r#"25
"#,
        0,
    );
}

#[test]
fn arith_div_zero() {
    sh(r#"echo $((1/0)); echo notreached"#, r#""#, 1);
}

#[test]
fn break_continue_n() {
    sh(
        r#"for i in 1 2 3; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done"#,
        r#"1a
2a
3a
"#,
        0,
    );
}

#[test]
fn break_loop() {
    sh(
        r#"i=0; while :; do i=$((i+1)); [ $i -gt 3 ] && break; done; echo $i"#,
        r#"4
"#,
        0,
    );
}

#[test]
fn subshell_isolation() {
    sh(
        r#"x=1; { x=2; }; (x=3); echo $x"#,
        r#"2
"#,
        0,
    );
}

#[test]
fn exit_status() {
    sh(
        r#"echo a; exit 5; echo b"#,
        r#"a
"#,
        5,
    );
}

#[test]
fn return_default_status() {
    sh(
        r#"f() { return; }; false; f; echo $?"#,
        r#"1
"#,
        0,
    );
}

#[test]
fn and_or() {
    sh(
        r#"false || echo or; true && echo and; false && echo no; true || echo no; echo $?"#,
        r#"or
and
0
"#,
        0,
    );
}

#[test]
fn bang_pipeline() {
    sh(
        r#"! false; echo $?; ! true; echo $?"#,
        r#"0
1
"#,
        0,
    );
}

#[test]
fn pipeline_status() {
    sh(
        r#"false | true; echo $?; true | false; echo $?"#,
        r#"0
1
"#,
        0,
    );
}

#[test]
fn if_elif_else() {
    sh(
        r#"if false; then echo t; elif true; then echo e; else echo f; fi"#,
        r#"e
"#,
        0,
    );
}

#[test]
fn if_status_no_branch() {
    sh(
        r#"if false; then echo t; fi; echo $?"#,
        r#"0
"#,
        0,
    );
}

#[test]
fn tilde() {
    sh(
        r#"HOME=/h; echo ~ ~/x x~ "~"; x=~/a:~/b; echo $x"#,
        r#"/h /h/x x~ ~
/h/a:/h/b
"#,
        0,
    );
}

#[test]
fn nounset_error() {
    sh(
        r#"set -u; echo ${unset_var-ok}; echo $unset_var; echo after"#,
        r#"ok
"#,
        1,
    );
}

#[test]
fn errexit() {
    sh(r#"set -e; false; echo notreached"#, r#""#, 1);
}

#[test]
fn errexit_exceptions() {
    sh(
        r#"set -e; false || true; if false; then :; fi; ! true; while false; do :; done; echo reached"#,
        r#"reached
"#,
        0,
    );
}

#[test]
fn errexit_and_list() {
    sh(
        r#"set -e; false && true; echo still"#,
        r#"still
"#,
        0,
    );
}

#[test]
fn readonly_assign() {
    sh(r#"readonly r=1; r=2; echo after"#, r#""#, 1);
}

#[test]
fn readonly_unset() {
    sh(
        r#"readonly r=1; unset r 2>/dev/null; echo "after $?""#,
        "after 1\n",
        0,
    );
}

#[test]
fn param_error_message() {
    sh(r#"echo ${x?unset here}; echo no"#, r#""#, 1);
}

#[test]
fn not_found() {
    sh(
        r#"nonexistent_cmd_zz; echo $?"#,
        r#"127
"#,
        0,
    );
}

#[test]
fn redir_fd_dup_close() {
    sh(
        r#"exec 3>/tmp/ibex-sh-fd3.txt; echo to3 >&3; exec 3>&-; cat /tmp/ibex-sh-fd3.txt; rm /tmp/ibex-sh-fd3.txt"#,
        r#"to3
"#,
        0,
    );
}

#[test]
fn redir_stderr_to_stdout() {
    sh(
        r#"{ echo out; echo err >&2; } 2>&1 | cat"#,
        r#"out
err
"#,
        0,
    );
}

#[test]
fn redir_append() {
    sh(
        r#"f=/tmp/ibex-sh-app.txt; echo a > $f; echo b >> $f; cat $f; rm $f"#,
        r#"a
b
"#,
        0,
    );
}

// Follows bash (status 1).

#[test]
fn redir_input_missing() {
    sh(
        r#"cat < /nonexistent/x; echo $?"#,
        r#"1
"#,
        0,
    );
}

// Follows bash (status 1).

#[test]
fn noclobber() {
    sh(
        r#"f=/tmp/ibex-sh-nc.txt; echo a > $f; set -C; echo b > $f; echo $?; echo c >| $f; cat $f; rm $f"#,
        r#"1
c
"#,
        0,
    );
}

#[test]
fn alias_basic() {
    sh(
        r#"alias ll="echo aliased"
ll x"#,
        r#"aliased x
"#,
        0,
    );
}

#[test]
fn alias_trailing_blank() {
    sh(
        r#"alias say="echo " word=hello
say word"#,
        r#"hello
"#,
        0,
    );
}

#[test]
fn eval_basic() {
    sh(
        r#"x="echo evaluated"; eval $x; eval "y=5"; echo $y"#,
        r#"evaluated
5
"#,
        0,
    );
}

// Follows bash (arguments to .).

#[test]
fn dot_script() {
    sh(
        r#"echo "echo sourced \$1" > /tmp/ibex-dot.sh; . /tmp/ibex-dot.sh arg; rm /tmp/ibex-dot.sh"#,
        r#"sourced arg
"#,
        0,
    );
}

#[test]
fn shift() {
    sh(
        r#"set -- a b c; shift; echo "$@"; shift 2; echo $#"#,
        r#"b c
0
"#,
        0,
    );
}

#[test]
fn set_positional() {
    sh(
        r#"set -- x y; echo "$1$2"; set -- ; echo $#"#,
        r#"xy
0
"#,
        0,
    );
}

#[test]
fn special_params() {
    sh(
        r#"set -- a b; echo $# $? ${#1}; (exit 4); echo $?"#,
        r#"2 0 1
4
"#,
        0,
    );
}

#[test]
fn dollar_dollar_subshell() {
    sh(
        r#"a=$$; b=$(echo $$); [ "$a" = "$b" ] && echo same"#,
        r#"same
"#,
        0,
    );
}

#[test]
fn bg_and_wait() {
    sh(
        r#"sleep 0 & wait $!; echo "waited $?""#,
        r#"waited 0
"#,
        0,
    );
}

#[test]
fn wait_status() {
    sh(
        r#"(exit 9) & wait $!; echo $?"#,
        r#"9
"#,
        0,
    );
}

#[test]
fn command_v() {
    sh(
        r#"command -v cd; command -v nonexistent_zz; echo $?"#,
        r#"cd
1
"#,
        0,
    );
}

#[test]
fn type_builtin() {
    sh(
        r#"type :"#,
        r#": is a special shell builtin
"#,
        0,
    );
}

#[test]
fn unset_function() {
    sh(
        r#"f() { echo f; }; unset -f f; f 2>/dev/null; echo $?"#,
        r#"127
"#,
        0,
    );
}

#[test]
fn assignment_temp_for_function() {
    sh(
        r#"f() { echo "in:$x"; }; x=1 f; echo "after:[$x]""#,
        r#"in:1
after:[]
"#,
        0,
    );
}

#[test]
fn assignment_persists_special() {
    sh(
        r#"z=3 :; echo "z:[$z]""#,
        r#"z:[3]
"#,
        0,
    );
}

#[test]
fn export_to_child() {
    sh(
        r#"export V=exported; sh -c 'echo $V'"#,
        r#"exported
"#,
        0,
    );
}

#[test]
fn env_prefix_to_child() {
    sh(
        r#"W=temp sh -c 'echo $W'; echo "[$W]""#,
        r#"temp
[]
"#,
        0,
    );
}

#[test]
fn glob_sorted() {
    sh(
        r#"cd /etc && for f in host*; do echo $f; done"#,
        r#"host.conf
hostname
hosts
"#,
        0,
    );
}

#[test]
fn glob_no_match() {
    sh(
        r#"echo /nonexistent/*.zz"#,
        r#"/nonexistent/*.zz
"#,
        0,
    );
}

#[test]
fn glob_noglob() {
    sh(
        r#"set -f; echo /etc/host*"#,
        r#"/etc/host*
"#,
        0,
    );
}

#[test]
fn glob_quoted() {
    sh(
        r#"echo "/etc/host*""#,
        r#"/etc/host*
"#,
        0,
    );
}

#[test]
fn umask_roundtrip() {
    sh(
        r#"umask 027; umask"#,
        r#"0027
"#,
        0,
    );
}

#[test]
fn cd_and_pwd() {
    sh(
        r#"cd /tmp && pwd && cd / && echo "$OLDPWD""#,
        r#"/tmp
/tmp
"#,
        0,
    );
}

// Follows bash (dash leaves LINENO empty in -c).

#[test]
fn lineno() {
    sh(
        r#"echo $LINENO
echo $LINENO"#,
        r#"1
2
"#,
        0,
    );
}

#[test]
fn semicolons_newlines() {
    sh(
        r#"echo a; echo b

echo c"#,
        r#"a
b
c
"#,
        0,
    );
}

#[test]
fn comment() {
    sh(
        r#"echo a # comment
# whole line
echo b#notcomment"#,
        r#"a
b#notcomment
"#,
        0,
    );
}

#[test]
fn line_continuation() {
    sh(
        r#"echo a\
b"#,
        r#"ab
"#,
        0,
    );
}

#[test]
fn syntax_error() {
    sh(r#"if; then fi"#, r#""#, 2);
}

#[test]
fn syntax_error_unterminated() {
    sh(r#"echo "unterminated"#, r#""#, 2);
}

#[test]
fn pipeline_builtin() {
    sh(
        r#"echo hi | read x; echo "[$x]""#,
        r#"[]
"#,
        0,
    );
}

#[test]
fn printf_reuse() {
    sh(
        r#"printf "%s-%s\n" a b c"#,
        r#"a-b
c-
"#,
        0,
    );
}

#[test]
fn brace_group_redirect() {
    sh(
        r#"{ echo one; echo two; } > /tmp/ibex-bg.txt; cat /tmp/ibex-bg.txt; rm /tmp/ibex-bg.txt"#,
        r#"one
two
"#,
        0,
    );
}

#[test]
fn function_redirect_def() {
    sh(
        r#"f() { echo inside; } > /tmp/ibex-fr.txt; f; cat /tmp/ibex-fr.txt; rm /tmp/ibex-fr.txt"#,
        r#"inside
"#,
        0,
    );
}

#[test]
fn nested_functions_recursion() {
    sh(
        r#"fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6"#,
        r#"720
"#,
        0,
    );
}

#[test]
fn exec_replace() {
    sh(
        r#"exec echo replaced; echo notreached"#,
        r#"replaced
"#,
        0,
    );
}

#[test]
fn script_without_shebang() {
    sh(
        r#"printf "echo from script \$1\n" > /tmp/ibex-noshebang; chmod +x /tmp/ibex-noshebang; /tmp/ibex-noshebang arg; rm /tmp/ibex-noshebang"#,
        r#"from script arg
"#,
        0,
    );
}

#[test]
fn permission_denied_126() {
    sh(
        r#"printf "x" > /tmp/ibex-noexec; chmod -x /tmp/ibex-noexec; /tmp/ibex-noexec 2>/dev/null; echo $?; rm /tmp/ibex-noexec"#,
        r#"126
"#,
        0,
    );
}

#[test]
fn error_messages() {
    run("sh", &["-c", "nonexistent_cmd_zz", "sh"])
        .fails(127, "sh: 1: nonexistent_cmd_zz: not found\n");
    run("sh", &["-c", "echo ${x?custom text}", "sh"]).fails(1, "sh: 1: x: custom text\n");
    run("sh", &["-c", "set -u; echo $nope", "sh"]).fails(1, "sh: 1: nope: parameter not set\n");
    run("sh", &["-c", "readonly r=1; r=2", "sh"]).fails(1, "sh: 1: r: is read only\n");
    run("sh", &["-c", "if; then fi", "sh"]).fails(2, "sh: 1: syntax error: \";\" unexpected\n");
    run("sh", &["-c", "echo $((1/0))", "sh"])
        .fails(1, "sh: 1: arithmetic expression: division by zero\n");
    run("sh", &["-c", "cat < /nonexistent/f", "sh"]).fails(
        1,
        "sh: 1: cannot open /nonexistent/f: No such file or directory\n",
    );
}

#[test]
fn script_file_and_arguments() {
    let d = Dir::new();
    d.write("s.sh", "echo \"$0 $# $1 $2\"\nexit 4\n");
    let o = d.run("sh", &["s.sh", "a", "b c"]).go();
    o.expect(4, b"s.sh 2 a b c\n", b"");
    let o = d.run("sh", &["missing.sh"]).go().code(127);
    assert!(
        o.err()
            .ends_with("/sh: 0: cannot open missing.sh: No such file or directory\n"),
        "{}",
        o.err()
    );
}

#[test]
fn commands_from_stdin_leave_the_rest_for_commands() {
    // `read` inside the script consumes the next line of the same input.
    run("sh", &[])
        .stdin("read x\nzz line\necho \"got $x\"\n")
        .ok("got zz line\n");
    run("sh", &["-s", "p1"]).stdin("echo $1\n").ok("p1\n");
}

#[test]
fn options_and_usage() {
    run("sh", &["-c", "echo $-", "sh"]).ok("\n");
    run("sh", &["-eu", "-c", "echo $-", "sh"]).ok("eu\n");
    run("sh", &["-o", "errexit", "-c", "false; echo no", "sh"]).fails(1, "");
    // Option errors name the shell as invoked, at line 0 (as dash does).
    let o = run("sh", &["-c"]).go().code(2);
    assert!(
        o.err().ends_with("/sh: 0: -c requires an argument\n"),
        "{}",
        o.err()
    );
    let o = run("sh", &["-Z", "-c", "true"]).go().code(2);
    assert!(
        o.err().ends_with("/sh: 0: Illegal option -Z\n"),
        "{}",
        o.err()
    );
    let o = run("sh", &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with("Usage: sh "));
}

#[test]
fn xtrace_goes_to_stderr() {
    let o = run("sh", &["-xc", "x=1; echo $x two", "sh"]).go();
    o.expect(0, b"1 two\n", b"+ x=1\n+ echo 1 two\n");
}

#[test]
fn set_o_lists_options() {
    let o = run(
        "sh",
        &["-c", "set -e; set -o | grep -E '^(errexit|nounset) '", "sh"],
    )
    .go();
    o.expect(0, b"errexit         on\nnounset         off\n", b"");
    let o = run("sh", &["-c", "set -u; set +o | grep nounset", "sh"]).go();
    o.expect(0, b"set -o nounset\n", b"");
}

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    let o = run("sh", &["-c", "f() { f; }; f", "sh"]).go();
    assert_eq!(o.code, 2, "{}", o.err());
    // The function depth limit, or the stack guard first where frames are
    // big (debug builds).
    assert!(o.err().contains("nesting too deep"), "{}", o.err());
}

// Extensions and fixes found with BusyBox's shell corpus; expected values
// checked against bash --posix unless noted.

#[test]
fn ext_substring() {
    sh(
        r#"x=abcdef; echo ${x:2} ${x:1:3} ${x: -2} ${x:2:-1} "[${x:10}]"; set -- a b c d; echo ${@:2:2} ${@: -1}"#,
        r#"cdef bcd ef cde []
b c d
"#,
        0,
    );
}

#[test]
fn ext_replace() {
    sh(
        r#"x=a.b.c; echo ${x/./_} ${x//./_} ${x/#a/X} ${x/%c/Y} ${x//[ab]/} "${x/b*/Z}"; v=/dev/ram; echo ${v////-}; unset u; echo "[${u/*/w}]"; e=; echo "[${e/*/w}]""#,
        r#"a_b.c a_b_c X.b.c a.b.Y ..c a.Z
-dev-ram
[]
[w]
"#,
        0,
    );
}

#[test]
fn ext_ansi_c_quotes() {
    sh(
        r#"printf '%s\n' $'a\tb' $'\x41\101' $'it\'s'"#,
        r#"a	b
AA
it's
"#,
        0,
    );
}

#[test]
fn ext_function_keyword() {
    sh(
        r#"function f() { echo f$1; }; f 1; function g { echo g; }; g"#,
        r#"f1
g
"#,
        0,
    );
}

#[test]
fn ext_let_builtin() {
    sh(
        r#"let x=5 y=x*2; echo $x $y $?; let 0; echo $?"#,
        r#"5 10 0
1
"#,
        0,
    );
}

#[test]
fn ext_double_bracket() {
    sh(
        r#"[[ a = a ]] && echo yes; [[ -n "" ]] || echo no"#,
        r#"yes
no
"#,
        0,
    );
}

#[test]
fn ext_arith_plusplus_binary() {
    sh(
        r#"echo $((0++1)) $((1--1))"#,
        r#"1 2
"#,
        0,
    );
}

#[test]
fn ext_read_reply_raw() {
    sh(
        r#"printf '  a b  \nxyz\n' | { read; echo "[$REPLY]"; read -n 2 v; echo "[$v]"; }"#,
        r#"[  a b  ]
[xy]
"#,
        0,
    );
}

#[test]
fn ext_case_keeps_status() {
    sh(
        r#"false || case a in a) echo in:$?;; esac; echo after:$?"#,
        r#"in:1
after:0
"#,
        0,
    );
}

#[test]
fn ext_return_in_loop() {
    sh(
        r#"f() { while return 2; do :; done; }; f; echo $?"#,
        r#"2
"#,
        0,
    );
}

#[test]
fn ext_local_unsets() {
    sh(
        r#"a=A; f() { local a; echo "[$a]"; local a; a=1; local a; echo "[$a]"; }; f; echo "[$a]""#,
        r#"[]
[1]
[A]
"#,
        0,
    );
}

#[test]
fn ext_assignments_in_order() {
    sh(
        r#"f() { echo "$a $A"; }; a=a A=$a f; b=b; a=x; b=$a c=$b sh -c 'echo $c'"#,
        r#"a a
x
"#,
        0,
    );
}

// Follows dash and busybox (bash expands it in the child).

#[test]
fn ext_heredoc_side_effect() {
    sh(
        r#"unset a; cat <<EOF >/dev/null
${a=set}
EOF
echo $a"#,
        r#"set
"#,
        0,
    );
}

#[test]
fn ext_shift_too_many() {
    sh(
        r#"set -- a b; shift 5 2>/dev/null; echo "$? $#""#,
        r#"1 2
"#,
        0,
    );
}

#[test]
fn ext_alias_loop() {
    sh(
        r#"alias a=b b=a
a 2>/dev/null; echo $?"#,
        r#"127
"#,
        0,
    );
}

// Follows dash (bash says 1).

#[test]
fn ext_command_neutralizes_special_error() {
    sh(
        r#"readonly r=1; command eval r=2 2>/dev/null; echo "still $?""#,
        r#"still 1
"#,
        0,
    );
}

#[test]
fn ext_at_in_string_context() {
    sh(
        r#"set -- abc "d e"; IFS=; v=$*; echo "[$v]"; v=$@; echo "[$v]"; v="$@"; echo "[$v]""#,
        r#"[abcd e]
[abc d e]
[abc d e]
"#,
        0,
    );
}

#[test]
fn ext_pattern_in_quotes() {
    sh(
        r#"x=tmp11:tmp22; echo "${x%:*}" "${x#*:}" "${x%"*"}"; b=\\; a='/b/c/*'; echo ${a%$b*}"#,
        r#"tmp11 tmp22 tmp11:tmp22
/b/c/
"#,
        0,
    );
}

#[test]
fn ext_trap_exit_status() {
    sh(
        r#"(trap 'echo t; exit' EXIT; (exit 3)); echo $?"#,
        r#"t
3
"#,
        0,
    );
}

#[test]
fn ext_noexec_stops() {
    sh(r#"set -n; echo not printed"#, r#""#, 0);
}

#[test]
fn here_string() {
    // bash's and BusyBox ash's `<<<`: the word expanded without splitting
    // or globbing, plus a newline, on standard input.
    sh(
        r#"x='a  *'; cat <<< "v=$x"; cat <<<$x; read p q <<< "1 2"; echo $q
cat <<< '$x'; f() { cat; }; f <<< "in f"; cat 3<<<three <&3
cat <<<"$(echo m; echo n)"; cat <<< ''"#,
        "v=a  *\na  *\n2\n$x\nin f\nthree\nm\nn\n\n",
        0,
    );
}

#[test]
fn trap_p_lists_named_signals() {
    // `trap -p SIG...` prints those signals, `-` for the default (bash).
    sh(
        r#"trap 'echo x' INT; trap '' TERM; trap -p INT USR1 TERM; echo $?
trap -p NOSUCH 2>/dev/null; echo $?; t=$(trap); trap - INT; eval "$t"; trap"#,
        "trap -- 'echo x' INT\ntrap -- - USR1\ntrap -- '' TERM\n0\n1\ntrap -- 'echo x' INT\ntrap -- '' TERM\n",
        0,
    );
}

#[test]
fn words_without_wildcards_are_not_looked_up() {
    // A lone `[` (no closing `]`) is not a pattern: the word stays as
    // written, slashes and all, whether or not such a file exists.
    let d = Dir::new();
    d.write("a[b", "");
    d.mkdir("x");
    let o = d
        .run("sh", &["-c", "echo a[b [ x//. a[bc] x//*", "sh"])
        .go();
    o.expect(0, b"a[b [ x//. a[bc] x//*\n", b"");
}

#[test]
fn conf_fatal_errors_exit_1() {
    // Expansion, arithmetic and readonly errors end the shell with status 1
    // (bash --posix); syntax errors keep 2.
    sh(r#"v=$((2/0)); echo no"#, "", 1);
    sh(r#"set -u; : "$nosuch"; echo no"#, "", 1);
    sh(r#"readonly k=1; k=2; echo no"#, "", 1);
    sh(r#": ${none:?gone}; echo no"#, "", 1);
    sh(r#"if then"#, "", 2);
}

#[test]
fn conf_unset_readonly_and_function_fallback() {
    // unset on a readonly name fails with 1 and goes on; a name that is no
    // variable but a function is unset as the function (bash).
    sh(
        r#"readonly ro=1; unset ro 2>/dev/null; echo "st=$?"
g() { echo g; }; unset g; g 2>/dev/null; echo "st=$?"
h() { echo h; }; h=1; unset h; h; unset -v h; h"#,
        "st=1\nst=127\nh\nh\n",
        0,
    );
}

#[test]
fn conf_exec_prefix_assignment_reaches_command() {
    sh(r#"ZV=pre exec env | grep '^ZV='"#, "ZV=pre\n", 0);
}

#[test]
fn conf_set_lists_values_quoted() {
    sh(
        r#"zq=plain; zr='a b'; zs=; set | grep '^z[qrs]='"#,
        "zq='plain'\nzr='a b'\nzs=''\n",
        0,
    );
}

#[test]
fn conf_trap_kill_accepted_and_usage() {
    sh(
        r#"trap 'echo k' KILL; echo "a=$?"; trap 'echo s' STOP; echo "b=$?"; trap onlyarg 2>/dev/null; echo "c=$?""#,
        "a=0\nb=0\nc=2\n",
        0,
    );
}

#[test]
fn conf_compound_redirect_failure_is_not_errexit() {
    sh(
        r#"set -e; { echo in; } < /nonexistent/zz 2>/dev/null; echo "st=$?"
while false; do :; done < /nonexistent/zz 2>/dev/null; echo "st=$?""#,
        "st=1\nst=1\n",
        0,
    );
}

#[test]
fn conf_redirect_both_and_move() {
    let d = Dir::new();
    let o = d
        .run(
            "sh",
            &[
                "-c",
                r#"{ echo o; echo e >&2; } &> f1; cat f1; { echo o2; echo e2 >&2; } &>> f1; cat f1
{ echo x; echo y >&2; } >& f2; cat f2
exec 5> f3; echo five >&5; exec 6>&5-; echo gone 2>/dev/null >&5 || echo closed; echo six >&6; exec 6>&-; cat f3
: 7>&7; echo same=$?"#,
                "sh",
            ],
        )
        .go();
    o.expect(
        0,
        b"o\ne\no\ne\no2\ne2\nx\ny\nclosed\nfive\nsix\nsame=0\n",
        b"",
    );
}

#[test]
fn conf_source_and_locale_quotes() {
    let d = Dir::new();
    d.write("lib.sh", "LIBV=got\n");
    let o = d
        .run("sh", &["-c", r#"source ./lib.sh; echo $LIBV $"x y""#, "sh"])
        .go();
    o.expect(0, b"got x y\n", b"");
}

#[test]
fn conf_arith_command() {
    // `(( ))` as a command (bash, ash); `((cmd) ...)` stays two subshells.
    sh(
        r#"n=0; (( n += 2 )); echo "$n $?"; (( n - 2 )); echo $?
if ((n > 1)); then echo big; fi; ((echo sub); (echo two))
set -e; (( n = 0 )); echo unreached"#,
        "2 0\n1\nbig\nsub\ntwo\n",
        1,
    );
}

#[test]
fn conf_last_argument_param() {
    sh(
        r#"echo one two >/dev/null; echo "[$_]"; : x && echo "$_"; v=1; echo "[$_]""#,
        "[two]\nx\n[]\n",
        0,
    );
}

#[test]
fn conf_time_keyword() {
    let o = run(
        "sh",
        &["-c", "time -p echo hi | cat; ! time false; echo $?", "sh"],
    )
    .go();
    assert_eq!(o.out(), "hi\n0\n");
    let err = o.err();
    assert!(err.starts_with("real "), "{err}");
    assert!(err.contains("\nreal\t0m"), "{err}");
    assert_eq!(o.code, 0);
}

#[test]
fn conf_lookup_failure_status_1() {
    // type, command -v and command -V fail with 1 (bash); dash says 127.
    sh(
        r#"type no_such_zz 2>/dev/null; echo $?; command -v no_such_zz; echo $?
command -v echo no_such_zz; echo $?; command -V no_such_zz 2>/dev/null; echo $?"#,
        "1\n1\necho\n1\n1\n",
        0,
    );
}

#[test]
fn conf_builtin_builtin() {
    sh(
        r#"cd() { echo func; }; cd; builtin cd / && pwd; builtin nosuch 2>/dev/null; echo $?
builtin; echo $?; builtin command echo hi"#,
        "func\n/\n1\n0\nhi\n",
        0,
    );
}

#[test]
fn conf_getopts_optind_in_clusters() {
    // Inside `-ab` OPTIND already points past the cluster (dash, ash);
    // `set --` restarts getopts; a bad variable name is status 2.
    sh(
        r#"getopts ab o -ab; echo "$OPTIND $o"; getopts ab o -ab; echo "$OPTIND $o"
getopts ab o -ab; echo "$? $OPTIND"
set -- -x; echo $OPTIND; getopts x o; echo "$OPTIND $o"
getopts x bad- -x 2>/dev/null; echo $?"#,
        "2 a\n2 b\n1 2\n1\n2 x\n2\n",
        0,
    );
}

#[test]
fn conf_wait_n_and_simple_function_body() {
    sh(
        r#"wait -n; echo $?; { sleep 0.2; exit 4; } & { exit 3; } & wait -n; echo $?; wait -n; echo $?
f() echo plain; f"#,
        "127\n3\n4\nplain\n",
        0,
    );
}

#[test]
fn conf_test_shell_primaries() {
    // -v NAME, -o OPTION (bash, ash) and unary -a as -e.
    sh(
        r#"zv=1; test -v zv; echo $?; test -v zz_none; echo $?; [ ! -v zv ]; echo $?
test -o nounset; echo $?; set -u; test -o nounset; echo $?; test -o bogus; echo $?
[ -a / ]; echo $?; [ -a /nonexistent/x ]; echo $?"#,
        "0\n1\n1\n1\n0\n1\n0\n1\n",
        0,
    );
}

#[test]
fn conf_cd_extras() {
    let d = Dir::new();
    d.mkdir("gone");
    d.mkdir("sub");
    let o = d
        .run(
            "sh",
            &[
                "-c",
                r#"cd sub other 2>/dev/null; echo "many=$?"; chdir sub && basename "$PWD"
cd ../gone && rmdir ../gone && basename "$(pwd)" && cd .. && basename "$OLDPWD""#,
                "sh",
            ],
        )
        .go();
    o.expect(0, b"many=1\nsub\ngone\ngone\n", b"");
}

#[test]
fn conf_pipe_amp() {
    sh(
        r#"{ echo out; echo err >&2; } |& tr a-z A-Z; f() { echo e >&2; }; f |& cat"#,
        "OUT\nERR\ne\n",
        0,
    );
}

#[test]
fn conf_kill_forms() {
    sh(
        r#"kill -l 10 SIGSEGV; kill -l usr2; kill -L 9 BAD 2>/dev/null; echo "st=$?"
sleep 5 & kill -n 9 $!; wait $!; echo $?
sleep 5 & kill -sigterm $!; wait $!; echo $?
sleep 5 & sleep 6 & kill %-; wait %1; echo $?; kill %%; wait; kill -99 $$ 2>/dev/null; echo $?"#,
        "USR1\n11\n12\nKILL\nst=1\n137\n143\n143\n1\n",
        0,
    );
}

#[test]
fn conf_nul_bytes() {
    // $'\0' ends the string and read drops NUL bytes (bash).
    sh(
        r#"n=$'a\0b'; echo "${#n}"; printf '.\000.\n' | { read v; echo "${#v}"; }"#,
        "1\n2\n",
        0,
    );
}

#[test]
fn conf_set_lone_plus() {
    sh(r#"set + a b; echo "$@"; set - +; echo "$@""#, "a b\n+\n", 0);
}

#[test]
fn conf_alias_trailing_blank_applies_after_the_text() {
    // The word after the whole alias text is checked, not the alias's own
    // second word.
    let d = Dir::new();
    d.write(
        "a.sh",
        "alias x='echo 1 '\nalias y='echo 2'\nx y\nalias one=1\nx one one\n",
    );
    let o = d.run("sh", &["a.sh"]).go();
    o.expect(0, b"1 echo 2\n1 1 one\n", b"");
}

#[test]
fn conf_umask_options_and_local_prefix() {
    sh(
        r#"umask 0022; umask -p; umask 1 2 2>/dev/null; echo $?; umask -rwx 2>/dev/null; echo $?; umask
f() { E=env local v=var; echo "$E $v"; }; f"#,
        "umask 0022\n1\n2\n0022\nenv var\n",
        0,
    );
}

#[test]
fn conf_nounset_substring() {
    sh(r#"set -u; echo "${nope_zz:1:2}"; echo no"#, "", 1);
}

#[test]
fn conf_err_trap() {
    // bash's ERR trap: once per failing command, not in conditions, not
    // inside functions (no -E); runs before set -e exits.
    sh(
        r#"trap 'echo "err $?"' ERR; false; if false; then :; fi; false || :
f() { false; echo in-f; }; f; { false; }; (exit 3); trap - ERR; false
trap 'echo last $?' ERR; set -e; (exit 7); echo no"#,
        "err 1\nin-f\nerr 1\nerr 3\nlast 7\n",
        7,
    );
}

#[test]
fn conf_shopt() {
    let d = Dir::new();
    let o = d
        .run(
            "sh",
            &[
                "-c",
                r#"echo *.zz; shopt -s nullglob; echo "[" *.zz "]"; shopt -p nullglob
shopt -u nullglob; shopt -q nullglob; echo $?; shopt -po errexit; shopt -q bogus 2>/dev/null; echo $?"#,
                "sh",
            ],
        )
        .go();
    o.expect(
        0,
        b"*.zz\n[ ]\nshopt -s nullglob\n1\nset +o errexit\n1\n",
        b"",
    );
}

#[test]
fn conf_dynamic_and_default_vars() {
    // A default PATH when none is inherited (not exported); $RANDOM,
    // $SECONDS, $UID, $EUID, $OSTYPE as bash.
    let o = run(
        "env",
        &[
            "-i",
            bin_dir().join("sh").to_str().unwrap_or("sh"),
            "-c",
            r#"case $PATH in *:/bin*) echo path;; esac; a=$RANDOM b=$RANDOM
[ "$a" -ge 0 ] && [ "$a" -le 32767 ] && [ "$a" != "$b" ] && echo random
echo "s=$SECONDS"; [ "$UID" = "$(id -u)" ] && [ -n "$EUID" ] && echo "$OSTYPE""#,
        ],
    )
    .go();
    o.expect(0, b"path\nrandom\ns=0\nlinux-gnu\n", b"");
}

#[test]
fn conf_read_exact_silent_and_poll() {
    sh(
        r#"printf 'a b\nc' | { read -N 4 x y; echo "[$x][$y]"; }
echo hi | { read -s v; echo "$v"; }
echo q | { sleep 0.1; read -t 0; echo "$? [$REPLY]"; read w; echo "$w"; }"#,
        "[a b\n][]\nhi\n0 []\nq\n",
        0,
    );
}

#[test]
fn conf_bad_names_in_declarations_are_not_fatal() {
    sh(
        r#"export a-b=1 2>/dev/null; echo $?; readonly c-d 2>/dev/null; echo $?
f() { local e-f=1 2>/dev/null; echo $?; }; f"#,
        "1\n1\n1\n",
        0,
    );
}

#[test]
fn conf_ulimit_one_resource() {
    sh(
        r#"ulimit 1 2 2>/dev/null; echo $?; ulimit -a 9 2>/dev/null; echo $?
ulimit -f -n 2>/dev/null; echo $?; ulimit -f -- -5 2>/dev/null; echo $?"#,
        "2\n2\n2\n2\n",
        0,
    );
}

#[test]
fn conf_case_test_next() {
    // `;;&` (bash) goes on testing the arms after it.
    sh(
        r#"case ab in a*) echo one ;;& x*) echo no ;;& *b) echo two ;; *) echo three ;; esac
case q in q) false ;;& z) : ;; esac; echo $?"#,
        "one\ntwo\n1\n",
        0,
    );
}

#[test]
fn conf_declare_typeset() {
    sh(
        r#"declare a=1; typeset b='x "y"'; declare -p a b
f() { declare l=in; declare -g g=out; typeset -x e=ex; env | grep '^e='; }; f
echo "[$l] $g [$e]"; declare -r r=1; declare -p r; declare -p nope 2>/dev/null; echo $?"#,
        "declare -- a=\"1\"\ndeclare -- b=\"x \\\"y\\\"\"\ne=ex\n[] out []\ndeclare -r r=\"1\"\n1\n",
        0,
    );
}

#[test]
fn conf_printf_v_and_usage() {
    sh(
        r#"printf -v out '%s-%d' a 7; echo "[$out]"; f() { local l; printf -v l %s in; echo "$l"; }; f
echo "[$l]"; printf 2>/dev/null; echo $?; printf -v 'bad[' %s x 2>/dev/null; echo $?"#,
        "[a-7]\nin\n[]\n2\n2\n",
        0,
    );
}

#[test]
fn conf_dollar_bracket_arith() {
    sh(
        r#"x=4; echo $[x * 2] "$[ (1 + 2) * 3 ]"; echo "$[" a$[b"#,
        "8 9\n$[ a$[b\n",
        0,
    );
}

#[test]
fn conf_double_bracket() {
    // [[ ]] (bash, ksh, ash): no splitting or globbing, patterns on the
    // right of ==, regexes with =~, arithmetic operands for -eq.
    sh(
        r#"x='a b'; [[ $x == a* ]] && echo glob; [[ $x = "a*" ]] || echo literal
[[ -n $x && ( $x != z || -z $x ) ]] && echo logic; [[ ! -e /nonexistent/q ]] && echo not
[[ abc =~ ^a(b|x)c$ ]] && echo re; re='^a.c$'; [[ axc =~ $re ]] && echo re-var
[[ a.c =~ "a.c" ]] && [[ abc =~ "a.c" ]] || echo re-quoted; [[ 1+1 -eq 2 ]] && echo arith
[[ b < c && c > b ]] && echo order; [[ '' ]] || echo empty; echo [[ not a test ]]"#,
        "glob\nliteral\nlogic\nnot\nre\nre-var\nre-quoted\narith\norder\nempty\n[[ not a test ]]\n",
        0,
    );
}

#[test]
fn conf_double_bracket_edges() {
    sh(
        r#"[[ a == a
&& b == b
]] && echo lines; [[ x =~ * ]]; echo "bad-re=$?"; [[ -f -f ]] || echo operand
[[ '(' ]] && [[ '!' ]] && echo literals"#,
        "lines\nbad-re=2\noperand\nliterals\n",
        0,
    );
    sh(r#"[[ -z ]]; echo no"#, "", 2);
}

#[test]
fn conf_indirect_case_and_funcname() {
    sh(
        r#"a=b; b=target; echo ${!a}; set -- p q; n=2; echo ${!n}
w=hello; echo ${w^} ${w^^} ${w^^[lo]}; u=WORLD; echo ${u,} ${u,,}
f() { echo $FUNCNAME; g; }; g() { echo "$FUNCNAME"; }; f; echo "[$FUNCNAME]""#,
        "target\nq\nHello HELLO heLLO\nwORLD world\nf\ng\n[]\n",
        0,
    );
}

#[test]
fn conf_brace_expansion() {
    // bash and ksh expand braces before the other expansions; quoted or
    // lone braces stay.
    sh(
        r#"v=V; echo x{1,2}{a,b} {1..4} {3..1} {1..9..4} {a..c} {08..10} a{,}b {,q}
echo {$v,"s p"} "{a,b}" \{a,b\} {a} {} {a..} x={a,b}; for i in {1..2}; do echo $i; done"#,
        "x1a x1b x2a x2b 1 2 3 4 3 2 1 1 5 9 a b c 08 09 10 ab ab q\nV s p {a,b} {a,b} {a} {} {a..} x=a x=b\n1\n2\n",
        0,
    );
}

#[test]
fn conf_set_listing_round_trips_control_chars() {
    sh(
        "zw='[\t\n]'; set | grep '^zw='; s=$(set | grep '^zw='); unset zw; eval \"$s\"; [ \"$zw\" = '[\t\n]' ] && echo same",
        "zw=$'[\\t\\n]'\nsame\n",
        0,
    );
}

#[test]
fn conf_unset_bad_name_is_not_fatal() {
    sh(r#"x=1; unset % x 2>/dev/null; echo "$? [$x]""#, "2 []\n", 0);
}

#[test]
fn conf_top_level_return_exits() {
    // As dash and ash: `return` outside functions leaves the (sub)shell.
    sh(r#"( return 42 ); echo $?; return 3; echo no"#, "42\n", 3);
}

#[test]
fn conf_type_t_and_p() {
    let d = Dir::new();
    d.write("tool", "#!/bin/sh\n");
    let o = d
        .run(
            "sh",
            &[
                "-c",
                r#"chmod +x tool; alias al=x
f() { :; }; PATH=.; type -t al f if cd tool nosuch; echo "st=$?"; type -p tool cd; echo "st=$?""#,
                "sh",
            ],
        )
        .go();
    o.expect(
        0,
        b"alias\nfunction\nkeyword\nbuiltin\nfile\nst=1\n./tool\nst=0\n",
        b"",
    );
}

#[test]
fn conf_bash_noop_set_options() {
    sh(
        r#"set -o posix; set -o errtrace -E +B; echo ok; set -o nosuch_zz 2>/dev/null; echo no"#,
        "ok\n",
        2,
    );
}

#[test]
fn interactive_prompts_and_errors_that_do_not_end_the_shell() {
    // PS1 before each command (expanded), PS2 on continuation lines, none
    // after an empty line's PS1 again; a syntax error or an unset variable
    // under -u ends the command, not an interactive shell.
    let o = run("sh", &["-i"])
        .env("PS1", "[$?] ")
        .env("PS2", "+> ")
        .stdin("echo a\nif true\nthen echo b\nfi\n\nfi; echo no\nset -u; echo $nope; echo no\necho c\nexit 3\n")
        .go();
    let err = o.err().replace(&format!("{}/", bin_dir().display()), "");
    assert_eq!((o.code, o.out()), (3, "a\nb\nc\n".to_string()));
    assert_eq!(
        err,
        "[0] [0] +> +> [0] [0] sh: 6: syntax error: \"fi\" unexpected\n[2] sh: 7: nope: parameter not set\n[1] [0] "
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Parsing, expansion and execution recurse; 100,000 levels would run
    // out of stack. The shell stops with an error (status 2) instead.
    let n = 100_000;
    let cases = [
        format!("echo {}hi{}", "$(echo ".repeat(n), ")".repeat(n)),
        format!("{}echo hi{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        format!("x={}hi{}; echo $x", "${x:-".repeat(n), "}".repeat(n)),
        format!("{}echo hi{}", "{ ".repeat(n), "; }".repeat(n)),
    ];
    for script in &cases {
        let d = Dir::new();
        d.write("deep.sh", script);
        let o = d.run("sh", &["deep.sh"]).go();
        assert_eq!(o.code, 2, "{}", &script[..40]);
        assert!(o.err().contains("nesting too deep"), "{}", o.err());
    }
    // Arithmetic parentheses: an expansion error, status 1.
    let d = Dir::new();
    d.write(
        "deep.sh",
        format!("echo $(({}1{}))", "(".repeat(n), ")".repeat(n)),
    );
    let o = d.run("sh", &["deep.sh"]).go();
    assert_eq!(o.code, 1);
    assert!(o.err().contains("nested too deeply"), "{}", o.err());
    // Moderate nesting still works.
    sh(
        &format!("echo {}hi{}", "$(echo ".repeat(50), ")".repeat(50)),
        "hi\n",
        0,
    );
}

/// A small deterministic generator for the random-input tests.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_input_never_crashes_the_parser_or_expander() {
    // Random text from the shell's own metacharacters: parsed only (-n),
    // then expanded and run as the arguments of `:` (no letters but a and
    // x, so no keywords and no real commands; no | or &, so no fork
    // loops). Whatever the text, the shell must end by itself with a
    // status, never by a signal.
    let parse_alphabet = b"$${}()[]'\"\\`#*?~=+-:%!01@ax \n;|&<>";
    let expand_alphabet = b"$${}()[]'\"\\#*?~=+-:%!01@ax ;<>";
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let d = Dir::new();
    for round in 0..400 {
        let (alphabet, noexec) = if round % 2 == 0 {
            (&parse_alphabet[..], true)
        } else {
            (&expand_alphabet[..], false)
        };
        let len = 1 + (xorshift(&mut seed) % 40) as usize;
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[(xorshift(&mut seed) % alphabet.len() as u64) as usize])
            .collect();
        let text = String::from_utf8(text).unwrap();
        let script = if noexec {
            text.clone()
        } else {
            format!(": {text}")
        };
        let args: Vec<&str> = if noexec {
            vec!["-n", "-c", &script]
        } else {
            vec!["-c", &script]
        };
        let o = d.run("sh", &args).go();
        assert!(
            (0..128).contains(&o.code),
            "status {} for {script:?}: {}",
            o.code,
            o.err()
        );
    }
}

#[test]
fn interactive_shell_runs_env_file() {
    // $ENV is expanded, then run before the first command; a missing file
    // is ignored; a non-interactive shell does not read it.
    let d = Dir::new();
    d.write("rc", "X=from-env\nalias hi='echo hello'\n");
    let rc = d.p("rc");
    let dir = rc.parent().unwrap().display().to_string();
    let o = d
        .run("sh", &["-i"])
        .env("PS1", "")
        .env("D", &dir)
        .env("ENV", "$D/rc")
        .stdin("echo $X\nhi\n")
        .go();
    o.expect(0, b"from-env\nhello\n", b"");
    d.run("sh", &["-i"])
        .env("PS1", "")
        .env("ENV", "/nonexistent/rc")
        .stdin("echo ok\n")
        .go()
        .expect(0, b"ok\n", b"");
    d.run("sh", &["-c", "echo ${X-unset}"])
        .env("ENV", rc.to_str().unwrap())
        .ok("unset\n");
}
