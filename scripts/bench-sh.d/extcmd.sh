# Fork: external commands in a loop.
n=${1:-100}
i=0
while [ $i -lt $n ]; do
    expr $i + 1 >/dev/null
    basename /a/b/c >/dev/null
    /usr/bin/test $i -ge 0
    /bin/true
    i=$((i + 1))
done
echo $i
