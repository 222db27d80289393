# Fork: a two-command pipeline with an external command.
n=${1:-150}
i=0
while [ $i -lt $n ]; do
    echo x | cat >/dev/null
    i=$((i + 1))
done
echo $i
