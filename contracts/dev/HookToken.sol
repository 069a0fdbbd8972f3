// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice The hooks an ERC777-style token calls (ERC-777's tokensToSend / tokensReceived, simplified).
interface ITokenHooks {
    function tokensToSend(address from, address to, uint256 amount) external;
    function tokensReceived(address from, address to, uint256 amount) external;
}

/// @notice TEST ONLY: an ERC-20 that, like ERC-777, calls the sender's hook before and the receiver's hook after
///         every transfer when they registered one — the reentrancy vector of imBTC-style tokens.
contract HookToken is ERC20 {
    mapping(address => address) public hookOf;

    constructor() ERC20("Hook Token (test)", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// Register (or clear with 0) the caller's hook implementer.
    function setHook(address implementer) external {
        hookOf[msg.sender] = implementer;
    }

    function _update(address from, address to, uint256 value) internal override {
        address h = from == address(0) ? address(0) : hookOf[from];
        if (h != address(0)) ITokenHooks(h).tokensToSend(from, to, value);
        super._update(from, to, value);
        h = to == address(0) ? address(0) : hookOf[to];
        if (h != address(0)) ITokenHooks(h).tokensReceived(from, to, value);
    }
}

/// @notice TEST ONLY: holds HookToken, deposits it into the vault, and from every hook tries to re-enter the vault
///         (deposit or withdraw again). Records whether the re-entry was refused.
contract ReentrantDepositor is ITokenHooks {
    address public immutable vault;
    ERC20 public immutable token;
    uint256 public attempts;
    uint256 public refused;
    bool private _inCall; // re-enter only from inside our own vault calls (not when tokens are minted to us)

    constructor(address vault_, ERC20 token_) {
        vault = vault_;
        token = token_;
        token_.approve(vault_, type(uint256).max);
        HookToken(address(token_)).setHook(address(this));
    }

    function deposit(uint256 amount) external {
        _call(abi.encodeWithSignature("deposit(address,uint256)", address(token), amount));
    }

    function withdraw(uint256 amount) external {
        _call(abi.encodeWithSignature("withdraw(address,uint256)", address(token), amount));
    }

    function _call(bytes memory data) private {
        _inCall = true;
        (bool ok, bytes memory ret) = vault.call(data);
        _inCall = false;
        if (!ok) _bubble(ret);
    }

    function tokensToSend(address, address, uint256 amount) external {
        _reenter(amount);
    }

    function tokensReceived(address, address, uint256 amount) external {
        _reenter(amount);
    }

    function _reenter(uint256 amount) private {
        if (msg.sender != address(token) || !_inCall) return;
        attempts++;
        (bool ok1,) = vault.call(abi.encodeWithSignature("withdraw(address,uint256)", address(token), amount));
        (bool ok2,) = vault.call(abi.encodeWithSignature("deposit(address,uint256)", address(token), 1));
        if (!ok1 && !ok2) refused++;
    }

    function _bubble(bytes memory ret) private pure {
        assembly {
            revert(add(ret, 32), mload(ret))
        }
    }
}
