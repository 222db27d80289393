# Fork: command substitution of a builtin.
n=${1:-2000}
i=0 t=0
while [ $i -lt $n ]; do
    x=$(echo $i)
    t=$((t + x))
    i=$((i + 1))
done
echo $t
