# Fork: command substitution of an external command.
n=${1:-500}
i=0
while [ $i -lt $n ]; do
    x=$(/bin/true)
    i=$((i + 1))
done
echo $i
