# CPU: case matching with glob patterns.
n=${1:-40000}
i=0 c=0 h=0 d=0 o=0
while [ $i -lt $n ]; do
    for w in main.c util.h 42abc README foo bar Makefile x.tar.gz; do
        case $w in
            *.c) c=$((c + 1)) ;;
            *.h) h=$((h + 1)) ;;
            [0-9]*) d=$((d + 1)) ;;
            foo|bar|baz) o=$((o + 1)) ;;
            *.tar.*|*.tgz) o=$((o + 2)) ;;
            [A-Z]*) ;;
            *) ;;
        esac
    done
    i=$((i + 1))
done
echo $c $h $d $o
