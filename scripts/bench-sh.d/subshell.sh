# Fork: subshells.
n=${1:-600}
i=0
while [ $i -lt $n ]; do
    ( : )
    (i=5; exit 3) || :
    i=$((i + 1))
done
echo $i
